/**
 * The fast first reading of suite files (src/suites/fast-yaml.ts) gives the `yaml` package's
 * data or gives up; LocatedDocument still reports every issue with its line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { fastYamlValue } from '../../../src/suites/fast-yaml.js';
import { LocatedDocument } from '../../../src/suites/located-document.js';
import { SuiteError } from '../../../src/suites/suite-error.js';

/** What the `yaml` package gives, as LocatedDocument read it before the fast reading. */
function slow(text: string): unknown {
  return parseDocument(text, { uniqueKeys: true, merge: true }).toJS({ maxAliasCount: 100 });
}

const SAME = [
  // YAML 1.2 core scalars, including the forms where YAML 1.1 readers differ.
  'a: [~, null, Null, NULL, "", ""]\nb:\n',
  'a: [true, True, TRUE, false, False, FALSE, yes, no, on, off, y, n]',
  'a: [0, 12, -3, +4, 0012, 0o17, 0x1F, 0b101, 1_000, 1:20, 0o8]',
  'a: [1.5, -0.25, .5, +1., 1e3, 1.5E-2, -.inf, .Inf, .NaN, .nan, 1_0.5, 1.0]',
  'a: [2024-01-31, 2024-01-31T10:00:00Z, "12", \'0x1F\', !!str 12]',
  // Block scalars, folding and chomping, quoting and escapes.
  "a: |\n  line 1\n   line 2\n\nb: >-\n  folded\n  text\n\n  para\nc: \"tab\\tq\\\"\\u00e9\"\nd: 'it''s'",
  'a: |+\n  keep\n\nb: >\n  x\n',
  // Merge keys, flow collections, comments, a document marker.
  '---\nbase: &b { x: 1, y: 2 }\nuse:\n  <<: *b\n  y: 3\n',
  'tests: # comment\n  - vars: { n: "1" }  # trailing\n    assert:\n      - type: contains\n        value: item 1\n',
  '{"json": [1, 2.5, "x", null, true], "nested": {"k": "v"}}',
  'key with spaces: v\n"quoted key": w\n? complex\n: z\n',
];

describe('fast-yaml', () => {
  for (const text of SAME) {
    it(`reads as the yaml package does: ${JSON.stringify(text.slice(0, 50))}`, () => {
      const fast = fastYamlValue(text);
      assert.notEqual(fast, undefined, 'read fast');
      assert.deepEqual(fast, slow(text));
    });
  }

  it('gives up on errors, directives, unknown tags, scalars and shared collections', () => {
    for (const text of [
      'a: 1\na: 2\n', // duplicate key
      'a: [1, 2\n', // unclosed flow sequence
      '%YAML 1.1\n---\na: yes\n', // another schema
      'a: !include x.yaml\n', // custom tag
      'a: !!binary aGk=\n', // tag outside the core schema
      'just text\n',
      '',
      'a: &x [1, 2]\nb: *x\n', // one list reached twice
      'a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\n', // growing aliases
      '---\na: 1\n---\nb: 2\n', // two documents
    ])
      assert.equal(fastYamlValue(text), undefined, JSON.stringify(text));
  });

  it('leaves errors, and the lines of issues, to the yaml package', () => {
    assert.throws(
      () => LocatedDocument.parse('s.yaml', 'a: 1\nb: [2\n'),
      (error: unknown) => error instanceof SuiteError && error.issues[0]?.file === 's.yaml',
    );
    const doc = LocatedDocument.parse('s.yaml', 'prompts:\n  - hi\ntests:\n  - vars: {}\n  - 7\n');
    assert.equal(doc.lineOf(['tests', 1]), 5);
    assert.equal(doc.lineOf(['tests', 0, 'vars']), 4);
    assert.equal(doc.lineOf(['prompts', 0]), 2);
    const sourced = doc.withLine({ path: 'tests[1]' }, ['tests', 1]);
    assert.equal(sourced.line, 5);
    assert.deepEqual({ ...sourced }, { path: 'tests[1]', line: 5 });
  });

  it('gives the same data through LocatedDocument whichever reader read it', () => {
    for (const text of [...SAME, 'a: &x [1]\nb: *x\n', '\uFEFFa: 1\n'])
      assert.deepEqual(
        LocatedDocument.parse('s.yaml', text).value(),
        slow(text.replace(/^\uFEFF/, '')),
      );
  });
  it('reads null keys, collection keys and lone CR line breaks as the yaml package does', () => {
    // js-yaml names a null key "null" (the yaml package: ""), joins a list key with commas
    // ("a,b"; the yaml package: "[ a, b ]"), names a map key "[object Object]", and takes a
    // lone CR as a line break where the yaml package refuses the file.
    for (const text of [
      'vars:\n  null: x\n',
      'vars:\n  ~: x\n',
      '? [a, b]\n: x\n',
      '? [a]\n: x\n',
      '? {a: 1}\n: x\n',
      'k: &k ~\nm:\n  *k : v\n',
    ])
      assert.deepEqual(
        LocatedDocument.parse('s.yaml', text).value(),
        slow(text),
        JSON.stringify(text),
      );
    const crOnly = 'prompts:\r  - hi\rtests:\r  - vars: {}\r';
    assert.ok(parseDocument(crOnly).errors.length > 0, 'the yaml package refuses a CR-only file');
    assert.throws(
      () => LocatedDocument.parse('s.yaml', crOnly),
      (error: unknown) => error instanceof SuiteError,
    );
  });
  it('refuses an alias without its anchor, and too many aliases, as a SuiteError with a line', () => {
    const unresolved = 'prompts:\n  - hi\ntests:\n  - vars: { w: *x }\n';
    assert.throws(
      () => LocatedDocument.parse('s.yaml', unresolved).value(),
      (error: unknown) =>
        error instanceof SuiteError &&
        error.issues[0]?.line === 4 &&
        /Unresolved alias/.test(error.issues[0].message),
    );
    const many = `a: &a [x]\nb: [${Array.from({ length: 120 }, () => '*a').join(', ')}]\n`;
    assert.throws(
      () => LocatedDocument.parse('s.yaml', many).value(),
      (error: unknown) => error instanceof SuiteError,
    );
  });
});
