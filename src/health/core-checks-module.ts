/**
 * The health checks every process has, as a registry: one line per check, a factory from the
 * shared core that returns the check (with what it holds open closed at shutdown), or
 * undefined when its dependency is not configured. Adding a check is its file plus one line
 * here; a feature module may also contribute checks of its own (`FeatureModule.checks`). The
 * Redis check's module (and ioredis) loads only with REDIS_URL.
 */
import type { ModuleDefinition, Shared } from '../compose/index.js';
import { databaseCheck } from './checks/database.js';
import { diskCheck } from './checks/disk.js';
import { eventLoopCheck } from './checks/event-loop.js';
import { memoryCheck } from './checks/memory.js';
import { providerCheck } from './checks/provider.js';
import type { HealthCheck } from './health-check.js';

type OwnedCheck = HealthCheck & { stop?(): void; close?(): Promise<void> };
type Checks = OwnedCheck | readonly OwnedCheck[] | undefined;
export type CheckFactory = (shared: Shared) => Checks | Promise<Checks>;

export const CHECKS: readonly CheckFactory[] = [
  (s) => databaseCheck(s.database.db, s.database.kind),
  (s) => s.providers.map(providerCheck),
  (s) => diskCheck(s.dataDir),
  () => memoryCheck(),
  (s) => eventLoopCheck(s.config.health.eventLoopWarnMs, s.config.health.eventLoopFailMs),
  ({ config: { redisUrl } }) =>
    redisUrl === undefined
      ? undefined
      : import('./checks/redis.js').then(({ redisCheck }) => redisCheck(redisUrl)),
];

export const coreChecksModule: ModuleDefinition = {
  name: 'core-checks',
  async create({ shared }) {
    const made = await Promise.all(CHECKS.map((factory) => Promise.resolve(factory(shared))));
    const checks = made.flatMap((c) => c ?? []);
    return {
      checks,
      close: async () => {
        for (const check of checks) {
          check.stop?.();
          await check.close?.();
        }
      },
    };
  },
};
