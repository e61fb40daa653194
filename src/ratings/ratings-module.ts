/**
 * Human ratings of results in the API: the rating routes, and the judge-agreement gauge
 * (`prompt_judge_human_agreement_ratio`) read from the database at scrape time, so every replica
 * reports the same figure.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { ratingRoutes } from './rating-routes.js';
import { RatingStore } from './rating-store.js';

export const ratingsModule: ModuleDefinition = {
  name: 'ratings',
  create({ shared }) {
    const ratings = new RatingStore(shared.database.db, shared.cipher);
    if (shared.metrics !== undefined) shared.metrics.judgeAgreement = () => ratings.agreement();
    return {
      routes: (http) =>
        Promise.resolve([
          ratingRoutes({
            ratings,
            runs: shared.runs,
            cards: shared.cards,
            record: http.recordChange,
          }),
        ]),
    };
  },
};
