/**
 * Every feature module, in build order (a module may use what the modules before it provide;
 * shutdown closes them in reverse; the core checks come last, so the event-loop monitor starts
 * once every module's code is loaded), with the roles whose processes start it. A feature on the
 * run path (observers, sinks, alerts) belongs to every role, so a run behaves alike in one
 * process, behind workers and in the CLI. Modules load on demand: a process loads only what it
 * starts. Adding a feature is one file exporting a `ModuleDefinition` plus one line here.
 */
import type { ModuleEntry, Role } from './module.js';

const EVERY: readonly Role[] = ['api', 'worker', 'cli'];
const API: readonly Role[] = ['api'];
const SERVED: readonly Role[] = ['api', 'worker'];

export const MODULES: readonly ModuleEntry[] = [
  { roles: API, load: async () => (await import('../auth/auth-module.js')).authModule },
  { roles: API, load: async () => (await import('../audit/audit-module.js')).auditModule },
  { roles: API, load: async () => (await import('../cards/cards-module.js')).cardsModule },
  { roles: API, load: async () => (await import('../ratings/ratings-module.js')).ratingsModule },
  { roles: EVERY, load: async () => (await import('../sinks/events-module.js')).eventsModule },
  {
    roles: EVERY,
    load: async () => (await import('../sinks/time-series-module.js')).timeSeriesModule,
  },
  { roles: EVERY, load: async () => (await import('../sinks/mlflow-module.js')).mlflowModule },
  {
    roles: EVERY,
    load: async () => (await import('../alerting/alerting-module.js')).alertingModule,
  },
  { roles: EVERY, load: async () => (await import('../runs/runs-module.js')).runsModule },
  {
    roles: API,
    load: async () => (await import('../analytics/analytics-module.js')).analyticsModule,
  },
  { roles: SERVED, load: async () => (await import('../otlp/otlp-module.js')).otlpModule },
  {
    roles: EVERY,
    load: async () => (await import('../health/core-checks-module.js')).coreChecksModule,
  },
];
