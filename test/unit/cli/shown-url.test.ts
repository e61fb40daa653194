import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shownUrl } from '../../../src/cli/server-commands.js';

describe('URLs in CLI errors', () => {
  it('never show credentials put in --server', () => {
    const shown = shownUrl('http://user:pcs_secretkey123@127.0.0.1:1/api/runs/x?token=abc');
    assert.doesNotMatch(shown, /pcs_secretkey123|abc|user/);
    assert.match(shown, /127\.0\.0\.1:1\/api\/runs\/x/);
    assert.equal(shownUrl('http://127.0.0.1:8/api/x'), 'http://127.0.0.1:8/api/x');
    assert.equal(shownUrl('not a url'), 'the --server URL');
  });
});
