export { cardRoutes } from './card-routes.js';
export { importRoutes } from './import-routes.js';
export { versionRoutes } from './version-routes.js';
export {
  DIFF_BUDGET,
  lineDiff,
  type DiffBudget,
  type DiffLine,
  type LineDiff,
} from './line-diff.js';
export { MAX_IMPORT_ROWS } from './test-case-import.js';
export { CardService, type ActiveRunGuard } from './card-service.js';
export { CardStore } from './card-store.js';
export { CardVersionStore, type PromptVersion } from './card-versions.js';
export * from './card-schema.js';
export { seedSamples, SAMPLES } from './samples.js';
export {
  extractVariables,
  missingVariables,
  renderTemplate,
  MissingVariablesError,
  type TemplateValue,
} from './template.js';
export { cardExtraRouteDocs, cardRouteDocs } from './card-route-docs.js';
