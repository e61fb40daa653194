/**
 * Every feature module, in build order (a module may use what the modules before it provide;
 * shutdown closes them in reverse). A module's `roles` say which processes start it: a
 * feature on the run path (observers, sinks, alerts) belongs to every role, so a run behaves
 * alike in one process, behind workers and in the CLI. Adding a feature is one file exporting
 * a `ModuleDefinition` plus one line here.
 */
import { alertingModule } from '../alerting/alerting-module.js';
import { analyticsModule } from '../analytics/analytics-module.js';
import { auditModule } from '../audit/audit-module.js';
import { authModule } from '../auth/auth-module.js';
import { cardsModule } from '../cards/cards-module.js';
import { coreChecksModule } from '../health/core-checks-module.js';
import { runsModule } from '../runs/runs-module.js';
import { eventsModule } from '../sinks/events-module.js';
import { mlflowModule } from '../sinks/mlflow-module.js';
import { timeSeriesModule } from '../sinks/time-series-module.js';
import type { ModuleDefinition } from './module.js';

export const MODULES: readonly ModuleDefinition[] = [
  coreChecksModule,
  authModule,
  auditModule,
  cardsModule,
  eventsModule,
  timeSeriesModule,
  mlflowModule,
  alertingModule,
  runsModule,
  analyticsModule,
];
