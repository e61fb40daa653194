/** API keys and the authenticator of the API (AUTH_MODE), and the key management routes. */
import type { ModuleDefinition } from '../compose/index.js';
import { ApiKeyStore } from './api-key-store.js';
import { Authenticator } from './authenticator.js';
import { keyRoutes } from './key-routes.js';

export const authModule: ModuleDefinition = {
  name: 'auth',
  create({ config, shared, services }) {
    const keys = new ApiKeyStore(shared.database.db);
    services.keys = keys;
    services.authenticator = new Authenticator(
      config.access.authMode,
      keys,
      config.access.trustedProxyCidrs,
    );
    return { routes: ({ recordChange }) => Promise.resolve([keyRoutes(keys, recordChange)]) };
  },
};
