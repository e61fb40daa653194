/**
 * What other folders use of the configuration's slices besides `Config` itself (which
 * `src/config.ts` parses and exports): secret redaction, the slices parsed before the whole
 * configuration (tracing), and the values a variable may take.
 */
export {
  SECRET_KEYS,
  SECRET_PATHS,
  SECRET_VARIABLES,
  secretValues,
  urlPassword,
} from './redaction.js';
export { isCredentialQueryKey, looksLikeUrl, urlCredentialParts } from './url-secrets.js';
export { providers } from './providers.js';
export { tracing } from './tracing.js';
export { EXPECTED_OUTPUT_MATCHES } from './runs.js';
