/** Every assertion kind, by its `type`. A new kind is one file plus one line here. */
import type { AssertionKind } from './assertion.js';
import { contains } from './contains.js';
import { cost } from './cost.js';
import { equals } from './equals.js';
import { icontains } from './icontains.js';
import { isJson } from './is-json.js';
import { jsonSchema } from './json-schema.js';
import { latency } from './latency.js';
import { length } from './length.js';
import { llmRubric } from './llm-rubric.js';
import { notContains } from './not-contains.js';
import { regex } from './regex.js';
import { similar } from './similar.js';
import { startsWith } from './starts-with.js';

// Each kind is typed against its own value; `evaluate` is a method, so TypeScript checks its
// parameter bivariantly and the kinds fit one list. Values are parsed by `valueSchema` first.
const kinds: AssertionKind<unknown>[] = [
  equals,
  contains,
  icontains,
  notContains,
  startsWith,
  regex,
  length,
  isJson,
  jsonSchema,
  latency,
  cost,
  similar,
  llmRubric,
];

export const ASSERTION_KINDS: ReadonlyMap<string, AssertionKind<unknown>> = new Map(
  kinds.map((kind) => [kind.type, kind]),
);

export const ASSERTION_TYPES = [...ASSERTION_KINDS.keys()];
