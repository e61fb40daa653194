/**
 * promptfoo's `showThinking: false` on a suite provider: the provider's outputs reach the checks
 * without their `<think>` block, which is kept as the answer's reasoning. Against the loopback
 * OpenAI-wire fake, since a real reasoning model cannot be run here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../../src/config.js';
import { suiteProviders } from '../../../src/cli/suite-provider.js';
import { providerSchema } from '../../../src/suites/suite-schema.js';
import { planProvider } from '../../../src/suites/suite-providers.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('a suite provider with showThinking', () => {
  let wire: WireServer;
  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = () => '<think>JSON it is.</think>\n{"ok": true}';
  });
  after(() => wire.close());

  async function outputOf(config: Record<string, unknown>) {
    const entry = providerSchema.parse({
      id: 'openai:chat:alpha',
      config: { apiBaseUrl: wire.url, ...config },
    });
    const planned = planProvider(entry);
    if (typeof planned === 'string') assert.fail(planned);
    const providers = suiteProviders([planned], parseConfig({ NODE_ENV: 'test' }).providers);
    const openai = providers.find((p) => p.name === 'openai');
    assert.ok(openai !== undefined);
    return openai.chat(
      { model: 'chat:alpha', messages: [{ role: 'user', content: 'hi' }] },
      AbortSignal.timeout(5000),
    );
  }

  it('takes the block out with showThinking: false and keeps it as reasoning', async () => {
    const answer = await outputOf({ showThinking: false });
    assert.equal(answer.output, '{"ok": true}');
    assert.equal(answer.reasoning, 'JSON it is.');
    const request = wire.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(request.showThinking, undefined, 'not sent to the server');
  });

  it('leaves the output as sent by default', async () => {
    const answer = await outputOf({});
    assert.equal(answer.output, '<think>JSON it is.</think>\n{"ok": true}');
    assert.equal(answer.reasoning, undefined);
  });
});
