import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  extractVariables,
  MissingVariablesError,
  renderTemplate,
} from '../../../src/cards/index.js';

describe('template variables', () => {
  it('extracts each variable once, in order of first appearance, tolerating inner spaces', () => {
    assert.deepEqual(extractVariables('{{b}} {{ a }} {{b}} {{a_1}}'), ['b', 'a', 'a_1']);
  });

  it('ignores escaped placeholders and malformed braces', () => {
    assert.deepEqual(extractVariables('\\{{literal}} {{ok}} {{1bad}} {{with space}} {single}'), [
      'ok',
    ]);
  });

  it('renders repeated variables everywhere they appear', () => {
    assert.equal(renderTemplate('{{x}}-{{ x }}-{{y}}', { x: 'A', y: 2 }), 'A-A-2');
  });

  it('renders an escaped placeholder as literal braces', () => {
    assert.equal(renderTemplate('\\{{x}} is {{x}}', { x: 'v' }), '{{x}} is v');
  });

  it('never expands placeholders that arrive inside values', () => {
    assert.equal(renderTemplate('{{a}} {{b}}', { a: '{{b}}', b: 'B' }), '{{b}} B');
  });

  it('throws naming every missing variable', () => {
    assert.throws(
      () => renderTemplate('{{a}} {{b}} {{c}}', { b: 'x' }),
      (error: unknown) => error instanceof MissingVariablesError && error.missing.join() === 'a,c',
    );
  });

  it('renders booleans and numbers as text and keeps special characters of values', () => {
    assert.equal(
      renderTemplate('{{v}}|{{n}}|{{s}}', { v: false, n: 1.5, s: '$& $1 <b>' }),
      'false|1.5|$& $1 <b>',
    );
  });
});
