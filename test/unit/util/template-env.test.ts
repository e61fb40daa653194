/**
 * Templates (prompts, assertion values, rubric prompts) render in Nunjucks, which has no sandbox:
 * the names that lead to the Function constructor are refused for every template of the process,
 * and ordinary member reads still work.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { renderTemplate, templateEnvironment } from '../../../src/util/index.js';

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

  it('renders a template compiled once as renderString renders it, errors included', () => {
    const a = templateEnvironment();
    a.addFilter('shout', (text: string) => text.toUpperCase());
    const b = templateEnvironment();
    b.addFilter('shout', (text: string) => `${text}!`);
    const template = '{{ name | shout }} {% for x in xs %}{{ x }}{% endfor %}';
    for (const vars of [
      { name: 'ann', xs: [1, 2] },
      { name: 'bob', xs: [] },
    ]) {
      assert.equal(renderTemplate(a, template, vars), a.renderString(template, vars));
      // The same text in another environment renders with that environment's filters.
      assert.equal(renderTemplate(b, template, vars), b.renderString(template, vars));
    }
    assert.equal(renderTemplate(a, template, { name: 'x', xs: [] }), 'X ');
    const broken = '{% if %}';
    for (let i = 0; i < 2; i++)
      assert.throws(
        () => renderTemplate(a, broken, {}),
        (error: unknown) => {
          assert.throws(() => a.renderString(broken, {}), { message: (error as Error).message });
          return true;
        },
      );
    assert.throws(() => renderTemplate(a, '{{ x.constructor }}', { x: {} }), /may not read/);
  });
});
