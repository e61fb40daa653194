/** Parses request parts with zod and turns every issue into a named field of a 422. */
import type { z } from 'zod';
import { validationError, type FieldProblem } from '../errors.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function zodIssuesToFields(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  prefix?: string,
): FieldProblem[] {
  const fields: FieldProblem[] = [];
  const at = (path: readonly PropertyKey[]) => {
    const joined = path.map(String).join('.');
    return (
      [prefix, joined].filter((part) => part !== undefined && part !== '').join('.') || '(body)'
    );
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        fields.push({ field: at([...issue.path, key]), message: 'is not a known field' });
      }
    } else if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      fields.push({ field: at(issue.path), message: 'is required' });
    } else {
      fields.push({ field: at(issue.path), message: issue.message });
    }
  }
  return fields;
}

/** Returns the parsed value or throws a 422 `AppError` naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix?: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(zodIssuesToFields(result.error.issues, input, prefix));
}

/** Removes fields the API returns but does not accept, so a client may PUT back what it GOT. */
export function withoutReadOnly(body: unknown, readOnly: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !readOnly.includes(key)));
}
