/**
 * promptfoo renders a provider's `tools`, `functions`, `response_format` and
 * `reasoning_effort` with each test's vars before the call (its `renderVarsInObject`): a tool
 * description or a schema name may read `{{var}}`. Run in process against the loopback
 * OpenAI-wire server, whose recorded requests show what was sent; other settings (`stop`)
 * go as written.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: provider settings rendered with the test vars', () => {
  let server: WireServer;
  const dir = tempDir('pcs-settings-');
  before(async () => {
    server = await startWireServer('openai');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('sends each test its own rendered tools, response_format and reasoning_effort', async () => {
    const config = join(dir.path, 'settings.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["Weather in {{city}}"]',
        'providers:',
        '  - id: "openai:chat:m"',
        '    config:',
        `      apiBaseUrl: "${server.url}"`,
        '      apiKey: k',
        '      reasoning_effort: "{{effort}}"',
        '      stop: ["{{city}}"]',
        '      tools:',
        '        - type: function',
        '          function:',
        '            name: weather',
        '            description: "The weather in {{city}}"',
        '            parameters: {type: object, properties: {unit: {type: string, enum: ["{{unit}}"]}}}',
        '      response_format:',
        '        type: json_schema',
        '        json_schema: {name: "{{city | lower}}_report", schema: {type: object}}',
        'tests:',
        '  - vars: {city: Paris, unit: celsius, effort: low}',
        '  - vars: {city: Boston, unit: fahrenheit, effort: high}',
      ].join('\n'),
    );
    const { report } = await evalCommand({ config, log: () => undefined });
    assert.equal(report.rows.length, 2);
    type Sent = {
      messages: { content: string }[];
      reasoning_effort: string;
      stop: string[];
      tools: { function: { description: string; parameters: unknown } }[];
      response_format: { json_schema: { name: string } };
    };
    const sent = server.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => r.body as Sent)
      .sort((a, b) => (a.messages[0]?.content ?? '').localeCompare(b.messages[0]?.content ?? ''));
    assert.deepEqual(
      sent.map((b) => [
        b.messages[0]?.content,
        b.reasoning_effort,
        b.stop,
        b.tools[0]?.function.description,
        b.tools[0]?.function.parameters,
        b.response_format.json_schema.name,
      ]),
      [
        [
          'Weather in Boston',
          'high',
          ['{{city}}'],
          'The weather in Boston',
          { type: 'object', properties: { unit: { type: 'string', enum: ['fahrenheit'] } } },
          'boston_report',
        ],
        [
          'Weather in Paris',
          'low',
          ['{{city}}'],
          'The weather in Paris',
          { type: 'object', properties: { unit: { type: 'string', enum: ['celsius'] } } },
          'paris_report',
        ],
      ],
    );
  });
});
