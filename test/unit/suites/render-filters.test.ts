/**
 * A suite's custom Nunjucks filters (nunjucksFilters) get what promptfoo's get: text that a
 * built-in filter marked safe (`safe`, `escape`) is still text, not Nunjucks' SafeString
 * object turned into JSON (`{ val, length }`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderNunjucks } from '../../../src/suites/render-prompt.js';
import { prepareSandbox } from '../../../src/util/index.js';

const ALLCAPS = 'module.exports = function (str) {\n  return str.toUpperCase();\n};\n';

describe('custom filters after a safe or escape filter', () => {
  it('receive the text', async () => {
    await prepareSandbox();
    const filters = { allcaps: ALLCAPS };
    assert.equal(renderNunjucks('{{ w | safe | allcaps }}', { w: 'a&b' }, filters), 'A&B');
    assert.equal(renderNunjucks('{{ w | escape | allcaps }}', { w: 'a&b' }, filters), 'A&AMP;B');
    assert.equal(renderNunjucks('{{ w | allcaps }}', { w: 'a&b' }, filters), 'A&B');
  });
});
