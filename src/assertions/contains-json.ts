/**
 * promptfoo's `contains-json`: the output contains a JSON object or array somewhere in its text
 * (prose and code fences around it allowed). With a JSON Schema as the value, at least one of
 * the JSON values found must validate against it (promptfoo stops at the first that does).
 * The value is a schema object, a text holding one as JSON, or nothing.
 */
import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';
import { jsonBlocks } from './json-blocks.js';
import { compileSchema, schemaValue } from './json-schema.js';

const schemaText = z.string().transform((text, ctx) => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON Schema object (or its JSON text)' });
  return z.NEVER;
});

const value = z.union([z.null(), z.undefined(), schemaText.pipe(schemaValue), schemaValue], {
  error: 'must be a JSON Schema object or nothing',
});

export const containsJson = defineAssertion({
  type: 'contains-json',
  description:
    'Output contains a JSON object or array (prose around it allowed); with a JSON Schema value, one of them validates',
  valueSchema: value,
  evaluate(schema, _threshold, { output }) {
    const found = jsonBlocks(output);
    if (found.values.length === 0)
      return binary(
        false,
        found.truncated
          ? 'Output is too deeply nested to search for JSON within the work limit'
          : 'Output contains no JSON object or array',
      );
    if (schema === null || schema === undefined)
      return binary(true, `Output contains ${found.values.length} JSON value(s)`);
    const validate = compileSchema(schema);
    let problems = '';
    for (const candidate of found.values) {
      if (validate(candidate)) return binary(true, 'Output contains JSON matching the schema');
      if (problems === '')
        problems = (validate.errors ?? [])
          .slice(0, 5)
          .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
          .join('; ');
    }
    return binary(
      false,
      `No JSON in the output matches the schema (${found.values.length} found): ${problems}`,
    );
  },
});
