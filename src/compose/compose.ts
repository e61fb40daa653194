/**
 * The one composition of a process: the shared core (shared.ts), then every registered module
 * whose roles include this process's role, in registry order; the health orchestrator over all
 * their checks. `start()` starts them in order, `close()` closes them in reverse, then the core.
 * The API server, the worker and the CLI's embedded engine all compose through here.
 */
import { configureAssertionEndpoints } from '../assertions/index.js';
import { HealthOrchestrator, statusValue } from '../health/index.js';
import type { RunObserver } from '../runs/index.js';
import type { Config } from '../config.js';
import type { FeatureModule, ModuleEntry, Role, Services } from './module.js';
import { MODULES } from './registry.js';
import { openShared, type Shared, type SharedOptions } from './shared.js';

export interface ComposeOptions extends SharedOptions {
  /** More run observers (tests, benchmarks). */
  readonly runObservers?: readonly RunObserver[];
  /** Lease renewal period in milliseconds (tests shorten it); a third of the lease by default. */
  readonly heartbeatMs?: number;
  /** Replaces the registry (tests). */
  readonly registry?: readonly ModuleEntry[];
}

export interface StartedModule {
  readonly name: string;
  readonly module: FeatureModule;
}

export interface Composition {
  readonly role: Role;
  readonly shared: Shared;
  readonly services: Services;
  readonly modules: readonly StartedModule[];
  readonly health: HealthOrchestrator;
  /** Starts the modules in registry order (recovery, relays, samplers, seeding). */
  start(): Promise<void>;
  /** Closes the modules in reverse order; in-flight work gets `deadlineMs`. */
  closeModules(deadlineMs: number): Promise<void>;
  /** `closeModules`, then the core (collector, database). */
  close(deadlineMs: number): Promise<void>;
}

export async function compose(
  config: Config,
  role: Role,
  options: ComposeOptions,
): Promise<Composition> {
  // Which endpoints webhook and classifier assertions may call here (none unless configured).
  configureAssertionEndpoints(config.assertions);
  const shared = await openShared(config, options);
  const services: Services = {};
  const modules: StartedModule[] = [];
  const closeModules = async (deadlineMs: number) => {
    for (const { name, module } of [...modules].reverse()) {
      try {
        await module.close?.(deadlineMs);
      } catch (error) {
        shared.logger.warn({ err: error, module: name }, 'a module failed to close');
      }
    }
  };
  const close = async (deadlineMs: number) => {
    await closeModules(deadlineMs);
    await shared.close();
  };
  try {
    for (const entry of options.registry ?? MODULES) {
      if (!entry.roles.includes(role)) continue;
      const definition = await entry.load();
      const module = await definition.create({
        config,
        role,
        shared,
        services,
        options,
        observers: () => modules.flatMap((m) => m.module.observers ?? []),
      });
      modules.push({ name: definition.name, module });
    }
  } catch (error) {
    await close(0);
    throw error;
  }
  const { metrics, collector } = shared;
  const health = new HealthOrchestrator(
    modules.flatMap((m) => m.module.checks ?? []),
    {
      deadlineMs: config.health.checkTimeoutMs,
      cacheTtlMs: config.health.cacheTtlMs,
      onResult: (result) =>
        collector?.safely('health_metrics', () => {
          metrics?.healthCheckStatus.set({ check: result.name }, statusValue(result.status));
          metrics?.healthCheckDuration.set({ check: result.name }, result.latency_ms / 1000);
        }),
    },
  );
  return {
    role,
    shared,
    services,
    modules,
    health,
    start: async () => {
      for (const { module } of modules) await module.start?.();
    },
    closeModules,
    close,
  };
}

/** A service the process cannot do without; throws naming it when its module did not start. */
export function required<K extends keyof Services>(
  services: Services,
  key: K,
): NonNullable<Services[K]> {
  const service = services[key];
  if (service === undefined) throw new Error(`No started module provides ${key}`);
  return service;
}
