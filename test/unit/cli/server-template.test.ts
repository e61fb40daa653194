import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unsupportedOnServer } from '../../../src/cli/server-template.js';

describe('unsupportedOnServer', () => {
  it('accepts plain {{name}} placeholders, with or without spaces', () => {
    assert.deepEqual(unsupportedOnServer('Hello {{name}}, from {{ city }}.'), []);
  });

  it('names tags, comments, filters and dotted paths, which only eval renders', () => {
    assert.deepEqual(
      unsupportedOnServer('{% if vip %}Dear{% endif %} {{ name | upper }} {{ a.b }} {# note #}'),
      ['{% if vip %}', '{% endif %}', '{# note #}', '{{ name | upper }}', '{{ a.b }}'],
    );
  });
});
