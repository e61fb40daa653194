/**
 * Rate limit on writes (POST, PUT, PATCH, DELETE) with express-rate-limit: `limit` per client
 * per window, counted in process, or in Redis (rate-limit-redis) when a client is given, so
 * every instance shares the count. Over the limit: 429 `PCS_ERR_HTTP_RATE_LIMITED` with
 * `Retry-After` (seconds) and the IETF `RateLimit` headers. If Redis fails the request passes
 * (a limiter outage must not stop writes) and the error is logged.
 */
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from '../errors.js';
import type { Logger } from '../telemetry/logging/index.js';

export interface WriteRateLimitOptions {
  readonly limit: number;
  readonly windowMs: number;
  /** Who a request counts against (the caller's key or user, else its address). */
  readonly clientKey: (req: Request) => string;
  readonly redis?: Redis;
  /** Redis key prefix (tests use one each). */
  readonly redisPrefix?: string;
  readonly logger: Logger;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function writeRateLimit(options: WriteRateLimitOptions): RequestHandler {
  const store: Store | undefined =
    options.redis === undefined
      ? undefined
      : new RedisStore({
          prefix: options.redisPrefix ?? 'pcs:rate-limit:',
          sendCommand: (command: string, ...args: string[]) =>
            options.redis?.call(command, ...args) as Promise<RedisReply>,
        });
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => SAFE_METHODS.has(req.method),
    keyGenerator: options.clientKey,
    passOnStoreError: true,
    logger: {
      error: (error, message) =>
        options.logger.warn({ err: error }, message ?? 'rate limit store failed'),
      warn: (error, message) =>
        options.logger.warn({ err: error }, message ?? 'rate limit warning'),
    },
    validate: { trustProxy: false, xForwardedForHeader: false },
    ...(store === undefined ? {} : { store }),
    handler: (req, res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds =
        reset === undefined
          ? Math.ceil(options.windowMs / 1000)
          : Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000));
      res.set('retry-after', String(seconds));
      next(new AppError('PCS_ERR_HTTP_RATE_LIMITED'));
    },
  });
}
