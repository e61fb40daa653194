import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { CONFIG_SLICES, CONFIG_VARIABLES, ConfigError, parseConfig } from '../../../src/config.js';
import { metaOf, variable, variablesOf } from '../../../src/config/variable.js';
import {
  tracingOptions,
  TracingOptionsError,
} from '../../../src/telemetry/tracing/tracing-options.js';

/** Names that say "credential". */
const SECRET_LIKE = /(^|_)(KEY|TOKEN|PASSWORD|SECRET)(_|$)/;

/** Secret-looking names that are not credentials, each with its reason. */
const NOT_SECRET: Readonly<Record<string, string>> = {
  REDIS_STREAM_KEY: 'the name of a Redis stream, not a credential',
  ANALYTICS_HOURLY_TOKEN_BUDGET: 'a number of model tokens (usage), not a credential',
};

/** Variables whose name looks like a secret but that carry no secret mark (and no reason). */
function unmarkedSecretLike(env: Readonly<Record<string, z.ZodType>>): string[] {
  return Object.entries(env)
    .filter(([name, schema]) => SECRET_LIKE.test(name) && !metaOf(schema).secret)
    .map(([name]) => name)
    .filter((name) => NOT_SECRET[name] === undefined);
}

function problemsOf(env: Record<string, string>): Record<string, string> {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
  }
  assert.fail('expected a ConfigError');
}

describe('configuration schema', () => {
  it('states each variable once, in exactly one slice', () => {
    const names = CONFIG_SLICES.flatMap((slice) => Object.keys(slice.env));
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    assert.deepEqual(repeated, []);
    assert.equal(CONFIG_VARIABLES.length, names.length);
  });

  it('gives every variable a description and a secret mark', () => {
    for (const slice of CONFIG_SLICES)
      for (const [name, meta] of variablesOf(slice)) {
        assert.ok(meta.description.length > 10, `${name} has no description`);
        assert.equal(typeof meta.secret, 'boolean', name);
      }
  });

  it('documents the real default: setting it explicitly changes nothing', () => {
    const defaults = parseConfig({});
    for (const slice of CONFIG_SLICES)
      for (const [name, meta] of variablesOf(slice)) {
        const value = meta.default;
        if (value === undefined) continue;
        assert.deepEqual(parseConfig({ [name]: value }), defaults, name);
      }
  });

  it('marks every variable whose name looks like a credential as secret', () => {
    const unmarked = CONFIG_SLICES.flatMap((slice) =>
      unmarkedSecretLike(slice.env as Record<string, z.ZodType>),
    );
    assert.deepEqual(unmarked, []);
  });

  it('the secret-name rule catches an unmarked credential', () => {
    const env = {
      NEW_SERVICE_API_KEY: variable(z.string(), { description: 'A key someone forgot to mark.' }),
      NEW_SERVICE_TOKEN: variable(z.string(), { description: 'Marked.', secret: true }),
      NEW_SERVICE_PASSWORD: variable(z.string(), { description: 'Forgotten too.' }),
      NEW_SERVICE_URL: variable(z.string(), { description: 'Not secret-looking.' }),
    };
    assert.deepEqual(unmarkedSecretLike(env), ['NEW_SERVICE_API_KEY', 'NEW_SERVICE_PASSWORD']);
  });

  it('marks the credentials whose names do not say so (a Slack webhook URL is its key)', () => {
    const secretNames = CONFIG_SLICES.flatMap((slice) =>
      variablesOf(slice)
        .filter(([, meta]) => meta.secret)
        .map(([name]) => name),
    );
    assert.ok(secretNames.includes('SLACK_WEBHOOK_URL'));
    assert.ok(!secretNames.includes('INFLUXDB_USERNAME'));
  });

  const rejections: [Record<string, string>, string, RegExp][] = [
    [{ TRACE_SAMPLE_RATE: '2' }, 'TRACE_SAMPLE_RATE', /between 0 and 1/],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      /grpc is not supported/,
    ],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT', /http\(s\)/],
    [{ RUN_MAX_CONCURRENCY: '0' }, 'RUN_MAX_CONCURRENCY', /between 1 and 1024/],
    [{ EXPECTED_OUTPUT_MATCH: 'fuzzy' }, 'EXPECTED_OUTPUT_MATCH', /trimmed/],
    [{ REDIS_URL: 'http://r' }, 'REDIS_URL', /redis:\/\//],
    [{ SMTP_URL: 'mail.test' }, 'SMTP_URL', /smtp:\/\//],
    [{ ALERT_EMAIL_TO: 'ops@example.test, nope' }, 'ALERT_EMAIL_TO', /e-mail/],
    [{ TRUSTED_PROXY_CIDRS: '10.0.0.0/99' }, 'TRUSTED_PROXY_CIDRS', /CIDR/],
    [{ ANALYTICS_SEVERITY_THRESHOLDS: '0.9,0.8' }, 'ANALYTICS_SEVERITY_THRESHOLDS', /four/],
    [{ HTTP_DURATION_BUCKETS: '1,0.5' }, 'HTTP_DURATION_BUCKETS', /increasing/],
    [{ HOST: '0.0.0.0' }, 'AUTH_MODE', /not a loopback address/],
    [{ AUTH_MODE: 'proxy' }, 'TRUSTED_PROXY_CIDRS', /AUTH_MODE=proxy/],
  ];
  for (const [env, variableName, message] of rejections) {
    it(`rejects ${JSON.stringify(env)} naming ${variableName}`, () => {
      assert.match(problemsOf(env)[variableName] ?? '(no problem)', message);
    });
  }

  it('tracing reads its variables with the same schema as the configuration', () => {
    const env = { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: '1', JAEGER_HOST: 'jaeger' };
    const options = tracingOptions(env, '0.0.0');
    assert.equal(options.captureMessageContent, parseConfig(env).providers.captureMessageContent);
    assert.equal(options.captureMessageContent, true);
    assert.equal(options.endpoint, 'http://jaeger:4318/v1/traces');
    assert.equal(options.sampleRate, 1);
    assert.throws(
      () => tracingOptions({ TRACE_SAMPLE_RATE: '2' }, '0.0.0'),
      (error: unknown) =>
        error instanceof TracingOptionsError &&
        /^TRACE_SAMPLE_RATE: .*between 0 and 1/.test(error.message),
    );
  });
});
