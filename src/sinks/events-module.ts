/**
 * The event stream (EVENT_SINK): every process's run store appends its CloudEvents to the
 * outbox in the same commit as the change (shared.ts); the relay draining the outbox to the
 * sink runs in the API and CLI processes (one relay per deployment's API, not one per worker,
 * so workers add no duplicate deliveries). Off when no sink is configured.
 */
import type { ModuleDefinition } from '../compose/index.js';

export const eventsModule: ModuleDefinition = {
  name: 'events',
  create({ role, shared, services }) {
    const relay = shared.eventRelay;
    if (relay === undefined) return {};
    services.eventRelay = relay;
    return {
      checks: [relay.check],
      start: () => {
        if (role !== 'worker') relay.start();
        return Promise.resolve();
      },
      close: () => relay.close(),
    };
  },
};
