/**
 * Rejects a request path that does not decode: a bad `%` escape, percent-encoded bytes that are
 * not UTF-8, or U+0000. Without this check the router's own decoding throws a bare URIError
 * (a 500) on every `:id` route, and a decoded U+0000 would reach PostgreSQL as a query value.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

/** The reason the raw path cannot be decoded, or undefined when every segment decodes. */
export function pathProblem(rawPath: string): string | undefined {
  for (const segment of rawPath.split('/')) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `segment "${segment.slice(0, 64)}" is not valid percent-encoded UTF-8`;
    }
    if (decoded.includes('\u0000')) return 'must not contain U+0000 (%00)';
  }
  return undefined;
}

export const checkRequestPath: RequestHandler = (req, _res, next) => {
  const problem = pathProblem(req.path);
  if (problem !== undefined) {
    next(
      new AppError('PCS_ERR_HTTP_MALFORMED_URL', undefined, [{ field: 'path', message: problem }]),
    );
    return;
  }
  next();
};
