import { Ajv, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';
import { linearRegExpEngine, parseJsonOutput } from '../util/index.js';

// One Ajv instance; compiled validators are cached by schema identity inside Ajv, and by
// serialized schema here so the same schema stored in many test cases compiles once.
// `pattern` and `patternProperties` are user regular expressions too: they run on RE2 (linear time).
const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: linearRegExpEngine } });
const compiled = new Map<string, ValidateFunction>();

/** The validator of a JSON Schema, compiled once per distinct schema; throws when it is invalid. */
export function compileSchema(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

/** A JSON Schema object as an assertion value; an invalid schema is refused when written. */
export const schemaValue = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' })
  .superRefine((schema, ctx) => {
    try {
      compileSchema(schema);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  });

export const jsonSchema = defineAssertion({
  type: 'json-schema',
  description:
    'Output is JSON that validates against the JSON Schema (draft-07 / 2019 keywords, ajv)',
  valueSchema: schemaValue,
  evaluate(value, _threshold, { output }) {
    const parsed = parseJsonOutput(output);
    if (!parsed.ok) return binary(false, `Output is not JSON: ${parsed.error}`);
    const validate = compileSchema(value);
    if (validate(parsed.value)) return binary(true, 'Output matches the schema');
    const problems = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    return binary(false, `Output does not match the schema: ${problems}`);
  },
});
