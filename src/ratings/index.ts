export { RatingStore, type Rating, type RatingInput } from './rating-store.js';
export { ratingRoutes, type RatingRoutesDeps } from './rating-routes.js';
export { ratingRouteDocs } from './rating-route-docs.js';
export {
  judgeAgrees,
  judgeVerdictOf,
  tallyAgreement,
  type Agreement,
  type JudgeVerdict,
  type Thumb,
} from './agreement.js';
