/**
 * Checks every string and key a client sends (JSON body and query) before any route sees it:
 * - U+0000 and unpaired UTF-16 surrogates are rejected, because PostgreSQL's `text` cannot hold
 *   U+0000 and neither database can store an unpaired surrogate as UTF-8; rejecting them on
 *   both databases keeps SQLite and PostgreSQL behaving the same (README, "Text the API accepts");
 * - `__proto__`, `constructor` and `prototype` keys are rejected in every object, because a
 *   schema would drop them silently (or a merge would pollute a prototype).
 * Each problem is a 422 `PCS_ERR_VALIDATION_FAILED` naming the dotted path (`query.` for the
 * query), so a rejected request never reaches a store.
 */
import type { RequestHandler } from 'express';
import { validationError, type FieldProblem } from '../errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_PROBLEMS = 20;

/** A reason the string cannot be stored as given, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain U+0000';
  // In a `u` regex a surrogate pair is one code point, so \p{Cs} matches only unpaired halves.
  if (/\p{Cs}/u.test(text)) return 'must be valid Unicode (no unpaired surrogate)';
  return undefined;
}

/** Every problem of `value` (a parsed JSON value or query object), as named fields. */
export function untrustedInputProblems(value: unknown, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const at = (path: string) => (path === '' ? '(body)' : path);
  // An explicit stack: a deeply nested body must not overflow the call stack.
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem !== undefined) problems.push({ field: at(path), message: problem });
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => stack.push([element, join(path, String(index))]));
    } else if (typeof item === 'object' && item !== null) {
      for (const key of Object.keys(item)) {
        const child = join(path, key);
        if (FORBIDDEN_KEYS.has(key)) {
          problems.push({ field: child, message: 'is not an allowed key' });
          continue;
        }
        const keyProblem = textProblem(key);
        if (keyProblem !== undefined) {
          problems.push({ field: at(path), message: `has a key that ${keyProblem}` });
          continue;
        }
        stack.push([(item as Record<string, unknown>)[key], child]);
      }
    }
  }
  return problems.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Rejects a request whose JSON body or query holds text no database can store as given. */
export const checkUntrustedInput: RequestHandler = (req, _res, next) => {
  const problems = [
    ...untrustedInputProblems(req.query, 'query'),
    ...(req.body === undefined ? [] : untrustedInputProblems(req.body, '')),
  ];
  if (problems.length > 0) {
    next(validationError(problems));
    return;
  }
  next();
};
