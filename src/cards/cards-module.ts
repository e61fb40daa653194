/**
 * Prompt cards in the API: the card service (its routes are mounted by the app itself, see
 * app.ts), the version routes, and the sample cards seeded into an empty database at start
 * (SEED_SAMPLES).
 */
import type { ModuleDefinition } from '../compose/index.js';
import { CardService } from './card-service.js';
import { seedSamples } from './samples.js';
import { versionRoutes } from './version-routes.js';

export const cardsModule: ModuleDefinition = {
  name: 'cards',
  create({ config, shared, services }) {
    const cards = new CardService(shared.cards, shared.runs);
    services.cards = cards;
    return {
      routes: () => Promise.resolve([versionRoutes(cards, shared.versions)]),
      start: async () => {
        if (!config.seedSamples) return;
        const seeded = await seedSamples(shared.cards);
        if (seeded > 0) shared.logger.info({ cards: seeded }, 'inserted sample prompt cards');
      },
    };
  },
};
