/**
 * Removes secrets from text that came from outside (provider errors, model answers) before it
 * is stored, served, logged or exported. Two kinds of secret are replaced by `[redacted]`:
 * - every configured secret value (the variables the configuration schema marks secret, and
 *   passwords inside URLs), wherever it occurs;
 * - credential-shaped tokens a server may echo even when they are not ours: `Bearer <token>`,
 *   OpenAI-style keys (`sk-…`, `sk-proj-…`), and `api_key=`/`"api_key": "…"`-style pairs.
 */
import type { Config } from '../config.js';
import { secretValues } from '../config/index.js';

export type Redact = (text: string) => string;

export const REDACTED = '[redacted]';

/** Configured values shorter than this are not treated as secrets (they would match everywhere). */
const MIN_SECRET_LENGTH = 6;

/** Credential-shaped tokens and what replaces them. */
const TOKEN_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{6,}/g, REDACTED],
  [/\b(api[_-]?key|access[_-]?token|secret)(["']?\s*[:=]\s*["']?)[^\s"',}&]+/gi, `$1$2${REDACTED}`],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A redactor for the given secret values (undefined and short values are ignored). */
export function createRedactor(secrets: readonly (string | undefined)[]): Redact {
  const values = [
    ...new Set(
      secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH),
    ),
  ].sort((a, b) => b.length - a.length); // longest first, so a secret containing another goes whole
  const exact =
    values.length === 0 ? undefined : new RegExp(values.map(escapeRegExp).join('|'), 'g');
  return (text) => {
    let clean = exact === undefined ? text : text.replace(exact, REDACTED);
    for (const [pattern, replacement] of TOKEN_PATTERNS)
      clean = clean.replace(pattern, replacement);
    return clean;
  };
}

export { urlPassword } from '../config/index.js';

/**
 * Every secret value the configuration holds: the variables the schema marks secret (keys,
 * tokens, passwords), and the password inside every URL-valued setting.
 */
export function configuredSecrets(config: Config): (string | undefined)[] {
  return secretValues(config);
}
