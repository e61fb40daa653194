export { accessMiddleware, credentialsOf } from './access-middleware.js';
export { ACCESS_RULES, isSafeMethod, requiredAccess } from './access-policy.js';
export { apiKeyId, generateApiKey, hashApiKey } from './api-key.js';
export { ApiKeyStore, type ApiKey } from './api-key-store.js';
export {
  addressList,
  Authenticator,
  type AuthMode,
  type AuthOutcome,
  type RequestCredentials,
} from './authenticator.js';
export {
  ANONYMOUS,
  identityOf,
  isRole,
  ROLES,
  roleAllows,
  setIdentity,
  userCategoryOf,
  type Access,
  type Identity,
  type Role,
} from './identity.js';
export { keyInputSchema, keyRoutes } from './key-routes.js';
export { socketAccess, type Admission, type SocketAccess } from './socket-access.js';
export { keyRouteDocs } from './key-route-docs.js';
