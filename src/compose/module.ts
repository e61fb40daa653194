/**
 * What a feature module is. Each feature exports one factory (`ModuleDefinition.create`) that
 * returns what it contributes to a process: run observers, health checks, API routes, and its
 * `start()`/`close()`. The composer (compose.ts) builds the modules a process role starts, in
 * registry order, and closes them in reverse order; no entry wires a feature by hand.
 */
import type { Router } from 'express';
import type { AlertDispatcher, AlertStore } from '../alerting/index.js';
import type { AuditTrail } from '../audit/index.js';
import type { Authenticator, ApiKeyStore } from '../auth/index.js';
import type { CardService } from '../cards/index.js';
import type { Config } from '../config.js';
import type { HealthCheck } from '../health/index.js';
import type { RecordChange } from '../http/index.js';
import type { RunObserver, RunRuntime } from '../runs/index.js';
import type { RegressionEvent } from '../runs/index.js';
import type { EventRelay, MlflowTracker, TimeSeriesSink } from '../sinks/index.js';
import type { AnalyticsService } from '../analytics/index.js';
import type { ComposeOptions } from './compose.js';
import type { Shared } from './shared.js';

/** The process kinds: the API server, a queue worker, the CLI's embedded engine. */
export type Role = 'api' | 'worker' | 'cli';

export const ROLES: readonly Role[] = ['api', 'worker', 'cli'];

/**
 * Services a module hands to the modules built after it (and to the entry). Each is set by
 * exactly one module; an unset one means its module is off or not started by this role.
 */
export interface Services {
  eventRelay?: EventRelay;
  timeSeries?: TimeSeriesSink;
  mlflow?: MlflowTracker;
  alerts?: {
    readonly store: AlertStore;
    readonly dispatcher: AlertDispatcher;
    /** Raises or resolves a regression alert after a comparison. */
    readonly regressions: (event: RegressionEvent) => Promise<void>;
  };
  runtime?: RunRuntime;
  audit?: AuditTrail;
  keys?: ApiKeyStore;
  authenticator?: Authenticator;
  cards?: CardService;
  analytics?: AnalyticsService;
}

/** What the API's HTTP layer hands to the modules' routes. */
export interface HttpContext {
  readonly recordChange: RecordChange;
}

export interface ModuleContext {
  readonly config: Config;
  readonly role: Role;
  readonly shared: Shared;
  readonly services: Services;
  readonly options: ComposeOptions;
  /** The run observers of the modules built so far (the runs module installs them all). */
  readonly observers: () => readonly RunObserver[];
}

export interface FeatureModule {
  readonly observers?: readonly RunObserver[];
  readonly checks?: readonly HealthCheck[];
  /** Routers mounted under /api by the API process (after authentication and the body parser). */
  routes?(http: HttpContext): Promise<readonly Router[]>;
  /**
   * Routers mounted under /api by the API process after authentication but before the JSON
   * body parser: they read their own bodies (the OTLP receiver's protobuf).
   */
  rawRoutes?(): Promise<readonly Router[]>;
  /** Called once every module of the process is built, in registry order. */
  start?(): Promise<void>;
  /** Called at shutdown in reverse registry order; in-flight work gets `deadlineMs`. */
  close?(deadlineMs: number): Promise<void>;
}

export interface ModuleDefinition {
  readonly name: string;
  create(context: ModuleContext): Promise<FeatureModule> | FeatureModule;
}

/**
 * A registry line: which roles start the module, and how to load it (on demand, so a process
 * loads only the code of the modules it starts).
 */
export interface ModuleEntry {
  readonly roles: readonly Role[];
  readonly load: () => Promise<ModuleDefinition>;
}
