/**
 * The audit trail of the API: opened (signed with AUDIT_SECRET when set), the configuration
 * recorded at start with every secret replaced by whether it is set, and its query route.
 * Other modules' routes record their changes through the HTTP layer's `recordChange`.
 */
import type { Config } from '../config.js';
import type { ModuleDefinition } from '../compose/index.js';
import { auditRoutes } from './audit-routes.js';
import { AuditTrail } from './audit-trail.js';

export const auditModule: ModuleDefinition = {
  name: 'audit',
  async create({ config, shared, services }) {
    const audit = new AuditTrail(shared.database.db, {
      current: config.secrets.auditSecret,
      previous: config.secrets.auditSecretPrevious,
    });
    await audit.open();
    if (!audit.signed)
      shared.logger.warn('AUDIT_SECRET is not set: audit records are written unsigned');
    await audit.append({
      actor: 'system',
      role: 'system',
      action: 'config.loaded',
      targetId: 'service',
      after: redactedConfig(config),
    });
    services.audit = audit;
    return { routes: () => Promise.resolve([auditRoutes(audit)]) };
  },
};

/**
 * The configuration as the audit trail records it at start: every secret, URL with
 * credentials or key is replaced by whether it is set.
 */
function redactedConfig(config: Config): unknown {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) =>
      /token|secret|key|password|url/i.test(key) ? value !== undefined : value,
    ),
  ) as unknown;
}
