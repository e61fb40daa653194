import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requiredAccess } from '../../../src/auth/index.js';
import { hostAllowed, hostName } from '../../../src/http/index.js';

describe('the access policy', () => {
  it('needs viewer to read, editor to write, admin for keys and the audit trail', () => {
    assert.equal(requiredAccess('GET', '/prompt-cards'), 'viewer');
    assert.equal(requiredAccess('HEAD', '/runs/x'), 'viewer');
    assert.equal(requiredAccess('POST', '/prompt-cards'), 'editor');
    assert.equal(requiredAccess('DELETE', '/test-cases/x'), 'editor');
    assert.equal(requiredAccess('GET', '/keys'), 'admin');
    assert.equal(requiredAccess('POST', '/keys'), 'admin');
    assert.equal(requiredAccess('GET', '/audit'), 'admin');
    const tokens = new Set(['/metrics', '/alerts/webhook']);
    assert.equal(requiredAccess('GET', '/metrics', tokens), 'token');
    assert.equal(requiredAccess('POST', '/alerts/webhook', tokens), 'token');
    assert.equal(requiredAccess('GET', '/metrics'), 'viewer', 'no METRICS_TOKEN: a role');
    assert.equal(requiredAccess('POST', '/alerts/webhook'), 'editor', 'no webhook token: a role');
    assert.equal(requiredAccess('GET', '/alerts/webhook'), 'viewer');
    assert.equal(requiredAccess('POST', '/metrics'), 'editor');
  });

  it('matches paths the way the router does: any case, encoded, doubled or trailing slashes', () => {
    for (const path of ['/KEYS', '/Keys/abc', '/%6Beys', '//keys', '/keys/', '/audit/']) {
      assert.equal(requiredAccess('GET', path), 'admin', path);
    }
    assert.equal(requiredAccess('GET', '/keysmith'), 'viewer', 'whole segments only');
    assert.equal(requiredAccess('GET', '/%E0%A4%A'), 'admin', 'undecodable: strictest');
  });
});

describe('the Host check', () => {
  it('compares names without port or case', () => {
    assert.equal(hostName('Cards.Example.org:8443'), 'cards.example.org');
    assert.equal(hostName('[::1]:3001'), '[::1]');
    const policy = { allowedHosts: ['cards.example.org'], loopbackOnly: false };
    assert.equal(hostAllowed('CARDS.example.org:1', policy), true);
    assert.equal(hostAllowed('evil.example', policy), false);
    assert.equal(hostAllowed(undefined, policy), false);
    assert.equal(hostAllowed('anything', { allowedHosts: [], loopbackOnly: false }), true);
    assert.equal(hostAllowed('127.0.0.1:3001', { allowedHosts: [], loopbackOnly: true }), true);
    assert.equal(hostAllowed('example.org', { allowedHosts: [], loopbackOnly: true }), false);
  });
});
