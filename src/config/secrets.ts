/** Keys at rest: field encryption, the audit chain's HMAC, the bundled Grafana's admin. */
import { z } from 'zod';
import { defineSlice, variable, type ConfigProblem } from './variable.js';

/** The guide's sample secrets: copying them into production would publish the keys. */
export const PLACEHOLDER_SECRETS = [
  'your_secure_32_char_key_here',
  'your_blockchain_audit_secret',
  'your_secure_password',
] as const;

export function isPlaceholder(value: string): boolean {
  return (PLACEHOLDER_SECRETS as readonly string[]).includes(value);
}

/** A 256-bit key given either as 32 characters or as 64 hex digits. */
export function isValidEncryptionKey(key: string): boolean {
  return key.length === 32 || /^[0-9a-fA-F]{64}$/.test(key);
}

export const secrets = defineSlice({
  title: 'Encryption and audit',
  env: {
    METRICS_ENCRYPTION_KEY: variable(z.string(), {
      secret: true,
      description:
        'Key of field encryption at rest: 32 bytes, as 32 characters or 64 hex digits (`openssl rand -hex 32`). Must be real in production.',
    }),
    METRICS_ENCRYPTION_KEY_PREVIOUS: variable(z.string(), {
      secret: true,
      description:
        'The encryption key before the last rotation: old rows stay readable until `npm run encryption:rotate`.',
    }),
    AUDIT_SECRET: variable(z.string(), {
      secret: true,
      description:
        'HMAC-SHA256 key of the audit trail’s chain (required, at least 16 characters, in production; unset: records are written unsigned).',
    }),
    AUDIT_SECRET_PREVIOUS: variable(z.string(), {
      secret: true,
      description:
        'The audit secret before the last rotation: the first record of the new segment is signed by both.',
    }),
    AUDIT_ANCHOR_FILE: variable(z.string(), {
      description:
        'File where `npm run audit:verify` keeps a signed checkpoint of the last verified record (keep it off the database host); the next verification fails if the trail no longer holds it (emptied, truncated or restarted). Needs AUDIT_SECRET; unset: no checkpoint.',
    }),
    PAGE_CURSOR_SECRET: variable(z.string(), {
      secret: true,
      description:
        'Key that signs list page tokens (`next`/`after`), the same on every replica. Unset: derived from METRICS_ENCRYPTION_KEY, else AUDIT_SECRET; with neither, tokens are opaque but not authenticated.',
    }),
    GRAFANA_ADMIN_PASSWORD: variable(z.string(), {
      secret: true,
      description: 'Grafana’s admin password for the compose stack.',
    }),
  },
  config: (e) => ({
    secrets: {
      metricsEncryptionKey: e.METRICS_ENCRYPTION_KEY,
      metricsEncryptionKeyPrevious: e.METRICS_ENCRYPTION_KEY_PREVIOUS,
      auditSecret: e.AUDIT_SECRET,
      auditSecretPrevious: e.AUDIT_SECRET_PREVIOUS,
      auditAnchorFile: e.AUDIT_ANCHOR_FILE,
      pageCursorSecret: e.PAGE_CURSOR_SECRET,
      grafanaAdminPassword: e.GRAFANA_ADMIN_PASSWORD,
    },
  }),
  problems: (e) => {
    const problems: ConfigProblem[] = [];
    for (const variable of ['METRICS_ENCRYPTION_KEY', 'METRICS_ENCRYPTION_KEY_PREVIOUS'] as const) {
      const key = e[variable];
      if (key !== undefined && !isPlaceholder(key) && !isValidEncryptionKey(key)) {
        problems.push({
          variable,
          message: 'must be 32 bytes: 32 characters, or 64 hexadecimal digits',
        });
      }
    }
    return problems;
  },
});

/**
 * Production-only checks on the secrets. They read the raw strings, so they are reported
 * together with any other bad variable rather than only after the rest parses.
 */
export function productionProblems(
  env: Readonly<Record<string, string | undefined>>,
): ConfigProblem[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: ConfigProblem[] = [];
  for (const variable of ['METRICS_ENCRYPTION_KEY', 'AUDIT_SECRET', 'GRAFANA_ADMIN_PASSWORD']) {
    const value = env[variable];
    if (value !== undefined && isPlaceholder(value)) {
      problems.push({
        variable,
        message: 'is the placeholder from the setup guide; set a real secret in production',
      });
    }
  }
  const audit = env.AUDIT_SECRET;
  if (audit === undefined)
    problems.push({ variable: 'AUDIT_SECRET', message: 'is required in production' });
  else if (!isPlaceholder(audit) && audit.length < 16) {
    problems.push({
      variable: 'AUDIT_SECRET',
      message: 'must be at least 16 characters in production',
    });
  }
  return problems;
}
