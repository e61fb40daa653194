/** cutUnique: identifying names cut to a length without two long names becoming one. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutUnique } from '../../../src/util/index.js';

describe('cutUnique', () => {
  it('keeps a text that fits as it is', () => {
    assert.equal(cutUnique('short', 200), 'short');
    assert.equal(cutUnique('x'.repeat(200), 200), 'x'.repeat(200));
  });

  it('gives two texts sharing their first max characters two names of at most max, the same each time', () => {
    const a = cutUnique(`${'x'.repeat(200)} [1]`, 200);
    const b = cutUnique(`${'x'.repeat(200)} [2]`, 200);
    assert.notEqual(a, b);
    assert.ok(a.length <= 200 && b.length <= 200);
    assert.match(a, /^x{190} #[0-9a-f]{8}$/);
    assert.equal(cutUnique(`${'x'.repeat(200)} [1]`, 200), a);
  });

  it('never splits a surrogate pair', () => {
    const name = cutUnique(`${'x'.repeat(189)}😀${'y'.repeat(50)}`, 200);
    // A lone high surrogate would be the last code unit before the tag.
    const beforeTag = name.charCodeAt(name.indexOf(' #') - 1);
    assert.ok(!(beforeTag >= 0xd800 && beforeTag <= 0xdbff), name);
  });
});
