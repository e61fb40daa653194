import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHttpReceiver, type HttpReceiver } from '../../support/alert-receivers.js';
import { untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe("the app's own pass-rate alert", () => {
  let slack: HttpReceiver;
  let server: TestServer;
  before(async () => {
    slack = await startHttpReceiver('ok');
    server = await startTestServer({
      SLACK_WEBHOOK_URL: slack.url,
      SIMULATED_LATENCY_MS: '1',
      SIMULATED_FAILURE_RATE: '0',
    });
  });
  after(async () => {
    await server.dispose();
    await slack.close();
  });

  it("fires when a run falls below the card's threshold and resolves when a run meets it again", async () => {
    const card = (
      await server.request('POST', '/api/prompt-cards', {
        title: 'Echo',
        prompt_template: 'Repeat after me: {{w}}',
        pass_rate_threshold: 0.9,
      })
    ).body;
    assert.equal(card.pass_rate_threshold, 0.9);
    const tc = (
      await server.request('POST', `/api/prompt-cards/${card.id}/test-cases`, {
        name: 't',
        input_variables: { w: 'hello' },
        assertions: [{ type: 'contains', value: 'zzz-never' }],
      })
    ).body;
    const first = await server.request('POST', `/api/prompt-cards/${card.id}/runs`, {
      models: ['simulated:fast'],
    });
    await untilFinished(server, first.body.id);
    await waitFor('the Slack alert', () => (slack.posts.length >= 1 ? true : undefined));
    assert.match(
      slack.posts[0]?.body ?? '',
      /PromptCardPassRateBelowThreshold: \\"Echo\\" passes 0 % on simulated:fast/,
    );
    const firing = (await server.request('GET', '/api/alerts?severity=warning')).body.items;
    assert.equal(firing.length, 1);
    assert.deepEqual(firing[0].labels, {
      alertname: 'PromptCardPassRateBelowThreshold',
      severity: 'warning',
      card_id: card.id,
      model: 'simulated:fast',
    });

    const startsAt = firing[0].startsAt as string;

    // A second failing run while it fires: the alert stays firing, one episode, no new
    // notification and no new history event (it re-fired on every failing run before).
    const again = await server.request('POST', `/api/prompt-cards/${card.id}/runs`, {
      models: ['simulated:fast'],
    });
    await untilFinished(server, again.body.id);
    const history = async () =>
      (
        (await server.request('GET', '/api/alerts/history?limit=100')).body.items as {
          status: string;
        }[]
      ).length;
    const stillFiring = (await server.request('GET', '/api/alerts?severity=warning')).body.items;
    assert.equal(stillFiring.length, 1);
    assert.equal(stillFiring[0].startsAt, startsAt, 'the firing episode keeps its start');
    // The resolution below is evaluated after this run's: any re-fire is counted there.

    await server.request('PUT', `/api/test-cases/${tc.id}`, {
      name: 't',
      input_variables: { w: 'hello' },
      assertions: [{ type: 'contains', value: 'hello' }],
    });
    const second = await server.request('POST', `/api/prompt-cards/${card.id}/runs`, {
      models: ['simulated:fast'],
    });
    await untilFinished(server, second.body.id);
    await waitFor('the resolution', () => (slack.posts.length >= 2 ? true : undefined));
    assert.match(slack.posts[1]?.body ?? '', /\[RESOLVED\] PromptCardPassRateBelowThreshold/);
    assert.equal(slack.posts.length, 2, 'one firing and one resolved notification');
    assert.equal(await history(), 2, 'history: firing, then resolved');
    assert.equal((await server.request('GET', '/api/alerts')).body.items.length, 0);
  });

  it('rejects a threshold outside [0, 1] naming the field', async () => {
    const res = await server.request('POST', '/api/prompt-cards', {
      title: 'x',
      prompt_template: 'y',
      pass_rate_threshold: 1.5,
    });
    assert.equal(res.status, 422);
    assert.deepEqual(
      res.body.error.fields.map((f: { field: string }) => f.field),
      ['pass_rate_threshold'],
    );
  });
});
