/** Access control: who may call the API, from where, how often. */
import { isIP, isIPv4 } from 'node:net';
import { z } from 'zod';
import { bool, commaList, defineSlice, positiveInt, variable } from './variable.js';

/** 127.0.0.0/8, ::1 and `localhost`: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  return mapped !== undefined && mapped.startsWith('127.');
}

function isCidr(text: string): boolean {
  const [address, bits, ...rest] = text.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

export const auth = defineSlice({
  title: 'Access control',
  env: {
    AUTH_MODE: variable(
      z.enum(['none', 'api-key', 'proxy'], { error: 'must be none, api-key or proxy' }),
      {
        default: 'none',
        description:
          '`none` (loopback only), `api-key` (`npm run keys -- create --name ci --role editor`) or `proxy`.',
      },
    ),
    ALLOW_UNAUTHENTICATED: variable(bool(), {
      default: 'false',
      description:
        '`true` lets `AUTH_MODE=none` listen on a non-loopback `HOST` on purpose (anyone can write); otherwise exit 2.',
    }),
    TRUSTED_PROXY_CIDRS: variable(
      commaList().refine((cidrs) => cidrs.every(isCidr), {
        message: 'must be comma-separated addresses or CIDR ranges (10.0.0.0/8, ::1/128)',
      }),
      {
        description:
          '`AUTH_MODE=proxy`: comma-separated addresses or CIDR ranges of the authenticating proxy whose `X-Forwarded-User`/`X-User-Role` are believed.',
      },
    ),
    ALLOWED_HOSTS: variable(
      commaList((host) => host.toLowerCase()),
      {
        description:
          'Comma-separated host names the service answers to (`Host` header); unset: loopback names in `none` mode, any host otherwise.',
      },
    ),
    RATE_LIMIT_WRITES: variable(z.coerce.number().int().min(0, 'must be 0 (off) or more'), {
      default: '300',
      description:
        'Writes (POST/PUT/PATCH/DELETE) per client (key, user or address) per window; `0` turns the limit off.',
    }),
    RATE_LIMIT_WINDOW_SECONDS: variable(positiveInt(), {
      default: '60',
      description: 'The rate limit’s window; counted in Redis when `REDIS_URL` is set.',
    }),
  },
  config: (e) => ({
    access: {
      authMode: e.AUTH_MODE,
      trustedProxyCidrs: e.TRUSTED_PROXY_CIDRS ?? [],
      /** Host names (lower case, no port) the service answers to; empty: see `hostAllowed`. */
      allowedHosts: e.ALLOWED_HOSTS ?? [],
      /** Writes per client per window; 0 turns the limit off. */
      rateLimitWrites: e.RATE_LIMIT_WRITES,
      rateLimitWindowMs: e.RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
  }),
  problems: (e) =>
    e.AUTH_MODE === 'proxy' && (e.TRUSTED_PROXY_CIDRS ?? []).length === 0
      ? [
          {
            variable: 'TRUSTED_PROXY_CIDRS',
            message: 'must name the authenticating proxy when AUTH_MODE=proxy',
          },
        ]
      : [],
});
