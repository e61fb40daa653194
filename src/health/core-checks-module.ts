/**
 * The health checks every process has: database (critical), each provider, disk, memory, the
 * event loop and Redis (when REDIS_URL is set). Other modules contribute their own checks.
 */
import type { ModuleDefinition } from '../compose/module.js';
import { databaseCheck } from './checks/database.js';
import { diskCheck } from './checks/disk.js';
import { eventLoopCheck } from './checks/event-loop.js';
import { memoryCheck } from './checks/memory.js';
import { providerCheck } from './checks/provider.js';
import { redisCheck } from './checks/redis.js';

export const coreChecksModule: ModuleDefinition = {
  name: 'core-checks',
  create({ config, shared }) {
    const eventLoop = eventLoopCheck();
    const redis = config.redisUrl === undefined ? undefined : redisCheck(config.redisUrl);
    return {
      checks: [
        databaseCheck(shared.database.db, shared.database.kind),
        ...shared.providers.map(providerCheck),
        diskCheck(shared.dataDir),
        memoryCheck(),
        eventLoop,
        ...(redis === undefined ? [] : [redis]),
      ],
      close: async () => {
        eventLoop.stop();
        await redis?.close();
      },
    };
  },
};
