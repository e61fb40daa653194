/**
 * The shape every JSON body of the API must have: an object. express.json's strict mode
 * refuses scalars (`null`, `42`, `"x"`; answered in error-handler.ts) but lets arrays through,
 * and a route that reads no body (`POST /api/runs/:id/cancel`) would take `[]` as valid. No
 * JSON route documents an array body (the bulk import, which takes a JSON array, reads its own
 * body before this), so one guard after the parser answers an array with a 422 naming `body`,
 * the same answer a scalar gets; a DELETE with fields is refused the same way. `noBody` is the
 * schema of a POST that takes no body (cancel, resume): nothing, or `{}`.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';

const refuse = (message: string) =>
  new AppError('PCS_ERR_VALIDATION_FAILED', 'Invalid fields: body', [{ field: 'body', message }]);

/**
 * 422 naming `body` for a JSON array body of a write ("must be a JSON object"), and for a
 * DELETE that carries fields (no DELETE route of the API takes a body; `{}` is allowed). GET
 * and HEAD read no body and are left alone.
 */
export const requireObjectBody: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  if (req.method === 'GET' || req.method === 'HEAD') next();
  else if (Array.isArray(body)) next(refuse('must be a JSON object'));
  else if (
    req.method === 'DELETE' &&
    typeof body === 'object' &&
    body !== null &&
    Object.keys(body).length > 0
  )
    next(refuse('must be empty: a DELETE takes no body'));
  else next();
};

/** The body of a route that takes none: absent or `{}` (any field is "not a known field"). */
export const noBody = z.strictObject({}).optional();
