/**
 * Templates (prompts, assertion values, rubric prompts) render in Nunjucks, which has no sandbox:
 * the names that lead to the Function constructor are refused for every template of the process,
 * and ordinary member reads still work.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { templateEnvironment } from '../../../src/util/index.js';

describe('the template environment', () => {
  const env = templateEnvironment();

  it('refuses constructor, prototype and __proto__ reads, however the name is spelled', () => {
    for (const template of [
      '{{ range.constructor("return process.pid")() }}',
      '{{ cycler["constr" + "uctor"]("return process.pid")() }}',
      '{{ joiner.prototype }}',
      '{{ x.__proto__ }}',
      '{{ x.__lookupGetter__("__proto__") }}',
      '{% set c = "constructor" %}{{ range[c]("return 1")() }}',
    ]) {
      assert.throws(() => env.renderString(template, { x: {} }), /may not read/, template);
    }
  });

  it('guards any Nunjucks environment of the process, not only its own', () => {
    const other = new nunjucks.Environment(null, { autoescape: false });
    assert.throws(() => other.renderString('{{ range.constructor }}', {}), /may not read/);
  });

  it('keeps ordinary member reads and method calls', () => {
    assert.equal(
      env.renderString('{{ o.a }} {{ s.length }} {{ s.toUpperCase() }} {{ l[1] }}', {
        o: { a: 'A' },
        s: 'abc',
        l: [1, 2],
      }),
      'A 3 ABC 2',
    );
  });
});
