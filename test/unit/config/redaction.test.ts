import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_SLICES, parseConfig, type Config } from '../../../src/config.js';
import { SECRET_PATHS, SECRET_VARIABLES } from '../../../src/config/redaction.js';
import { createLogger } from '../../../src/telemetry/logging/logger.js';
import { configuredSecrets, createRedactor } from '../../../src/util/redact-secrets.js';

/**
 * What a secret needs beside it to parse, and the text it is (a Slack webhook's URL is its
 * credential). A new secret variable that parses alone needs no entry; one that does not makes
 * the test below fail until it gets one.
 */
const SETUP: Readonly<Record<string, (value: string) => Record<string, string>>> = {
  SLACK_WEBHOOK_URL: (value) => ({
    SLACK_WEBHOOK_URL: `https://hooks.slack.test/services/${value}`,
  }),
  ALERT_WEBHOOK_URL: (value) => ({
    ALERT_WEBHOOK_URL: `https://hooks.example.test/alerts/${value}`,
    ALERT_WEBHOOK_SECRET: 'hmac-key-123456',
  }),
  INFLUXDB_TOKEN: (value) => ({
    INFLUXDB_TOKEN: value,
    INFLUXDB_URL: 'http://127.0.0.1:8086',
    INFLUXDB_ORG: 'org',
    INFLUXDB_BUCKET: 'bucket',
  }),
  INFLUXDB_PASSWORD: (value) => ({
    INFLUXDB_PASSWORD: value,
    INFLUXDB_URL: 'http://127.0.0.1:8086',
    INFLUXDB_DATABASE: 'pcs',
  }),
  KAFKA_SASL_PASSWORD: (value) => ({
    KAFKA_SASL_PASSWORD: value,
    KAFKA_SASL_MECHANISM: 'PLAIN',
    KAFKA_SASL_USERNAME: 'pcs',
  }),
  MLFLOW_TRACKING_TOKEN: (value) => ({
    MLFLOW_TRACKING_TOKEN: value,
    MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
  }),
};

/** A configuration holding one secret variable, and the text that must never show. */
function withSecret(name: string, index: number): { config: Config; secret: string } {
  // 32 characters: also a valid encryption key.
  const value = `sec${index}v`.padEnd(32, 'Q');
  const env = SETUP[name]?.(value) ?? { [name]: value };
  const secret = env[name] ?? value;
  return { config: parseConfig(env), secret };
}

function logged(write: (logger: ReturnType<typeof createLogger>) => void): string {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line) => lines.push(line) },
  });
  write(logger);
  return lines.join('');
}

describe('secret redaction derives from the schema', () => {
  it('finds the schema’s secrets', () => {
    for (const name of ['OPENAI_API_KEY', 'METRICS_ENCRYPTION_KEY_PREVIOUS', 'INFLUXDB_TOKEN'])
      assert.ok(SECRET_VARIABLES.includes(name), name);
  });

  it('knows where every secret variable the service holds sits in Config', () => {
    // Slices that add nothing to Config (variables read by docker compose, or before the
    // application loads) are the only place a secret may stay out of Config.
    const outside = new Set(
      CONFIG_SLICES.filter((slice) => slice.readBy !== undefined).flatMap((slice) =>
        Object.keys(slice.env),
      ),
    );
    for (const name of SECRET_VARIABLES.filter((n) => !outside.has(n)))
      assert.ok((SECRET_PATHS.get(name) ?? []).length > 0, `${name} reaches no Config property`);
    assert.ok(SECRET_VARIABLES.includes('POSTGRES_PASSWORD'));
  });

  const held = SECRET_VARIABLES.filter((name) => (SECRET_PATHS.get(name) ?? []).length > 0);
  held.forEach((name, index) => {
    it(`redacts ${name} from provider text and error messages`, () => {
      const { config, secret } = withSecret(name, index);
      const redact = createRedactor(configuredSecrets(config));
      const text = `upstream said: invalid credential "${secret}"; retry with ${secret}`;
      assert.ok(!redact(text).includes(secret), redact(text));
    });

    it(`censors ${name} in log lines`, () => {
      const { config, secret } = withSecret(name, index);
      const output = logged((logger) => {
        logger.info({ config }, 'configuration');
        logger.info(config, 'configuration at the top');
        for (const [section, value] of Object.entries(config))
          logger.info({ [section]: value }, 'one section');
      });
      assert.ok(output.includes('one section'));
      assert.ok(!output.includes(secret.slice(0, 32)), `${name} leaked into a log line`);
    });
  });

  const urls: [string, string][] = [
    ['DATABASE_URL', 'postgres://pcs:db-pass-123456@127.0.0.1:5432/pcs'],
    ['REDIS_URL', 'redis://:redis-pass-123456@127.0.0.1:6379'],
    ['SMTP_URL', 'smtp://mailer:smtp-pass-123456@127.0.0.1:587'],
    ['PROMETHEUS_URL', 'http://reader:prom-pass-123456@127.0.0.1:9090'],
    ['OPENAI_BASE_URL', 'https://u:openai-pass-123456@api.example.test'],
    ['MLFLOW_TRACKING_URI', 'http://u:mlflow-pass-123456@127.0.0.1:5000'],
  ];
  for (const [name, url] of urls) {
    it(`redacts the password inside ${name}`, () => {
      const password = /:([^:@/]+)@/.exec(url)?.[1] ?? '';
      const redact = createRedactor(configuredSecrets(parseConfig({ [name]: url })));
      assert.doesNotMatch(redact(`connect to ${url} failed`), new RegExp(password));
    });
  }

  const SLACK_PATH = '/services/T0PLANT01/B0PLANT02/pLaNtEdWeBhOoKsEcReT0123';
  it('redacts a secret URL’s path when a provider error echoes only the path', () => {
    const config = parseConfig({ SLACK_WEBHOOK_URL: `https://hooks.slack.test${SLACK_PATH}` });
    const redact = createRedactor(configuredSecrets(config));
    for (const echoed of [
      `POST ${SLACK_PATH} failed`,
      `no such hook: services/T0PLANT01/B0PLANT02/pLaNtEdWeBhOoKsEcReT0123`,
      `token pLaNtEdWeBhOoKsEcReT0123 revoked`,
    ]) {
      const clean = redact(echoed);
      assert.ok(!clean.includes('pLaNtEdWeBhOoKsEcReT0123'), clean);
      assert.ok(clean.includes('[redacted]'), clean);
    }
  });

  it('redacts credential-named query values and the userinfo of a secret URL', () => {
    const config = parseConfig({
      SLACK_WEBHOOK_URL: 'https://hookuser:hookpass-123456@hooks.slack.test/x?sig=abcdef123456',
      OPENAI_BASE_URL: 'https://api.example.test/v1?api-key=query-key-123456&region=europe-west',
    });
    const redact = createRedactor(configuredSecrets(config));
    const clean = redact(
      'echo: hookuser hookpass-123456 abcdef123456 query-key-123456 europe-west',
    );
    for (const secret of ['hookuser', 'hookpass-123456', 'abcdef123456', 'query-key-123456'])
      assert.ok(!clean.includes(secret), `${secret} leaked: ${clean}`);
    assert.ok(clean.includes('europe-west'), 'a plain query value of a non-secret URL stays');
  });
});
