import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupNotifications } from '../../../src/alerting/group-notification.js';
import { cutText } from '../../../src/util/index.js';

/** No lone surrogate (String.prototype.isWellFormed is Node 20+, not in the TS lib here). */
const wellFormed = (text: string) => !/\p{Cs}/u.test(text);

describe('cutting text', () => {
  it('never splits a surrogate pair', () => {
    assert.equal(cutText('ab😀cd', 3), 'ab');
    assert.equal(cutText('ab😀cd', 4), 'ab😀');
    assert.equal(cutText('abc', 5), 'abc');
    assert.ok(wellFormed(cutText('😀'.repeat(200), 301)));
  });

  it('keeps the alert group lines well-formed UTF-8 when an emoji sits at the cut', () => {
    const alert = (i: number) => ({
      fingerprint: `f${i}`,
      status: 'firing' as const,
      name: 'Emoji',
      severity: 'warning' as const,
      // "• Emoji: " is 9 units; 290 units of text puts the 300th unit inside an emoji.
      summary: `${'x'.repeat(290)}😀😀😀`,
      description: '',
      labels: { alertname: 'Emoji' },
      startsAt: '2026-12-07T00:00:00Z',
      endsAt: null,
      runbookUrl: null,
    });
    const [group] = groupNotifications([alert(1), alert(2)], {
      groupKey: 'g',
      groupLabels: {},
      commonLabels: {},
    });
    assert.ok(group !== undefined);
    assert.ok(wellFormed(group.description), 'a lone surrogate in the Slack/webhook text');
    assert.equal(Buffer.from(group.description, 'utf8').toString('utf8'), group.description);
  });
});
