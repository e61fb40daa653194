/**
 * The last middleware: maps every error to the catalog's JSON body. body-parser's own errors
 * (bad JSON, too large, bad charset) become their catalog codes; anything unexpected is logged
 * with its stack and answered as a bare 500 that leaks no detail.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseFull, isDatabaseUnavailable } from '../db/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../telemetry/logging/index.js';

interface BodyParserError {
  type: string;
  status: number;
  /** The raw body, on a parse failure. */
  body?: unknown;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error;
}

/** True when `body` (the raw text body-parser kept) is valid JSON other than an object or array. */
function isJsonScalar(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    const value: unknown = JSON.parse(body);
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}

/** zlib and brotli decompression errors, which body-parser passes on as a bare 400. */
function isDecompressionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'string' && /^(Z_|ERR__ERROR_|ERR_BROTLI|ERR_ZLIB)/.test(error.code);
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isDecompressionError(error)) {
    return new AppError('PCS_ERR_HTTP_BAD_CONTENT_ENCODING', undefined, [
      { field: 'headers.content-encoding', message: 'the body does not decode with it' },
    ]);
  }
  // The router's own decoding of a path parameter (checkRequestPath catches these first).
  if (error instanceof URIError) {
    return new AppError('PCS_ERR_HTTP_MALFORMED_URL', undefined, [
      { field: 'path', message: 'is not valid percent-encoded UTF-8' },
    ]);
  }
  if (isDatabaseFull(error)) return new AppError('PCS_ERR_DATABASE_FULL');
  if (isDatabaseUnavailable(error)) return new AppError('PCS_ERR_DATABASE_UNAVAILABLE');
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      // Strict parsing refuses valid JSON that is not an object or array (`null`, `42`, `"x"`):
      // that is not malformed, it is the wrong shape.
      if (isJsonScalar(error.body))
        return new AppError('PCS_ERR_VALIDATION_FAILED', 'Invalid fields: body', [
          { field: 'body', message: 'must be a JSON object' },
        ]);
      return new AppError('PCS_ERR_HTTP_MALFORMED_JSON');
    case 'entity.utf8.invalid':
      return new AppError('PCS_ERR_HTTP_MALFORMED_JSON', 'The request body is not valid UTF-8', [
        { field: 'body', message: 'is not valid UTF-8' },
      ]);
    case 'entity.too.large':
      return new AppError('PCS_ERR_HTTP_BODY_TOO_LARGE');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
        'Unsupported body encoding or charset',
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('PCS_ERR_HTTP_MALFORMED_JSON', 'The request body was incomplete');
    default:
      return undefined;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const appError = toAppError(error) ?? new AppError('PCS_ERR_SERVER_INTERNAL');
    if (appError.code === 'PCS_ERR_DATABASE_UNAVAILABLE') {
      // Expected while the database is down: one line per request, no stack.
      logger.warn({ method: req.method, reason: (error as Error).message }, 'database unavailable');
    } else if (appError.code === 'PCS_ERR_DATABASE_FULL') {
      // The operator's problem to fix: the database's own error, without the stack.
      const { code, message } = error as { code?: unknown; message?: unknown };
      logger.error({ method: req.method, db_error: { code, message } }, 'database full');
    } else if (appError.status >= 500) {
      logger.error({ err: error, method: req.method }, 'request failed');
    }
    res.status(appError.status).json(appError.toBody());
  };
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('PCS_ERR_HTTP_ROUTE_NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

/**
 * Requests that carry a body must say it is JSON: otherwise express.json() would skip it and
 * the handler would see no body, which reads as "every field missing" instead of the real cause.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    next(new AppError('PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'));
    return;
  }
  next();
};
