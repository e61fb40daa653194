import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '../../src/config.js';

function problems(env: Record<string, string>): Record<string, string> {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
  }
  assert.fail('expected a ConfigError');
}

describe('parseConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = parseConfig({});
    assert.equal(config.port, 3001);
    assert.equal(config.databaseUrl, 'sqlite:./data/prompt-cards.db');
    assert.equal(config.nodeEnv, 'development');
    assert.equal(config.monitoring.enabled, true);
    assert.equal(config.monitoring.advancedAnalytics, true);
    assert.equal(config.monitoring.prometheusPort, 9090);
    assert.equal(config.bodyLimitBytes, 1_048_576);
    assert.equal(config.seedSamples, true);
  });

  it('treats empty strings as unset', () => {
    assert.equal(parseConfig({ PORT: '', OPENAI_API_KEY: '' }).port, 3001);
  });

  it('accepts a postgres URL and typed booleans', () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://u@h/db', ENABLE_MONITORING: 'false' });
    assert.equal(config.databaseUrl, 'postgres://u@h/db');
    assert.equal(config.monitoring.enabled, false);
  });

  const rejections: [string, Record<string, string>, string][] = [
    ['PORT', { PORT: 'abc' }, 'port number'],
    ['PORT', { PORT: '70000' }, 'between 0 and 65535'],
    ['NODE_ENV', { NODE_ENV: 'staging' }, 'development, production or test'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }, 'sqlite: or postgres://'],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, 'must be'],
    ['ENABLE_MONITORING', { ENABLE_MONITORING: 'maybe' }, 'true, false'],
    ['ENABLE_ADVANCED_ANALYTICS', { ENABLE_ADVANCED_ANALYTICS: '2' }, 'true, false'],
    ['PROMETHEUS_PORT', { PROMETHEUS_PORT: '-1' }, 'between 0 and 65535'],
    ['GRAFANA_PORT', { GRAFANA_PORT: 'x' }, 'port number'],
    ['JAEGER_PORT', { JAEGER_PORT: '1.5' }, 'integer'],
    ['INFLUXDB_PORT', { INFLUXDB_PORT: '99999' }, 'between 0 and 65535'],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '0' }, 'positive'],
    ['OLLAMA_BASE_URL', { OLLAMA_BASE_URL: 'ftp://x' }, 'http(s) URL'],
    ['MODEL_PRICES', { MODEL_PRICES: '{bad' }, 'JSON'],
    [
      'ALERT_WEBHOOK_SECRET',
      { ALERT_WEBHOOK_URL: 'https://hooks.test/alerts' },
      'required when ALERT_WEBHOOK_URL is set',
    ],
    ['MODEL_PRICES', { MODEL_PRICES: '{"openai:x": {"input": -1, "output": 1}}' }, ''],
    ['RUN_QUEUE', { RUN_QUEUE: 'redis' }, 'needs REDIS_URL'],
    ['RUN_QUEUE', { RUN_QUEUE: 'kafka' }, ''],
    ['RUN_EXECUTION', { RUN_EXECUTION: 'api' }, 'needs RUN_QUEUE=redis'],
    ['RUN_LEASE_TTL_MS', { RUN_LEASE_TTL_MS: '10' }, ''],
    ['RUN_QUEUE_PREFIX', { RUN_QUEUE_PREFIX: 'a b' }, 'letters, digits'],
  ];
  for (const [variable, env, message] of rejections) {
    it(`rejects ${variable}=${Object.values(env)[0]} naming the variable`, () => {
      const found = problems(env);
      const key = Object.keys(found).find((k) => k === variable || k.startsWith(`${variable}.`));
      assert.ok(
        key !== undefined,
        `expected a problem for ${variable}, got ${JSON.stringify(found)}`,
      );
      assert.match(found[key] ?? '', new RegExp(message.replace(/[()]/g, '\\$&')));
    });
  }

  it('reports every bad variable at once', () => {
    assert.deepEqual(
      Object.keys(problems({ PORT: 'x', NODE_ENV: 'nope', LOG_LEVEL: 'loud' })).sort(),
      ['LOG_LEVEL', 'NODE_ENV', 'PORT'],
    );
  });

  it('every sink is off by default', () => {
    const config = parseConfig({});
    assert.equal(config.events.sink, undefined);
    assert.equal(config.influxdb, undefined);
    assert.equal(config.mlflow, undefined);
  });

  it('a chosen sink needs its connection, naming the missing variable', () => {
    assert.deepEqual(Object.keys(problems({ EVENT_SINK: 'kafka' })), ['KAFKA_BROKERS']);
    assert.deepEqual(Object.keys(problems({ EVENT_SINK: 'redis-stream' })), ['REDIS_URL']);
    assert.deepEqual(Object.keys(problems({ EVENT_SINK: 'nats' })), ['EVENT_SINK']);
    assert.deepEqual(Object.keys(problems({ KAFKA_BROKERS: 'kafka' })), ['KAFKA_BROKERS']);
    assert.deepEqual(
      Object.keys(
        problems({ EVENT_SINK: 'kafka', KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'PLAIN' }),
      ).sort(),
      ['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME'],
    );
    assert.deepEqual(Object.keys(problems({ INFLUXDB_URL: 'http://i:8086' })), [
      'INFLUXDB_DATABASE',
    ]);
    assert.deepEqual(
      Object.keys(problems({ INFLUXDB_URL: 'http://i:8086', INFLUXDB_TOKEN: 't' })).sort(),
      ['INFLUXDB_BUCKET', 'INFLUXDB_ORG'],
    );
  });

  it('parses the sinks: Kafka topic from the prefix, InfluxDB version from the token', () => {
    const config = parseConfig({
      EVENT_SINK: 'kafka',
      KAFKA_BROKERS: 'a:9092, b:9093',
      KAFKA_TOPIC_PREFIX: 'prod.',
      INFLUXDB_URL: 'http://i:8086',
      INFLUXDB_DATABASE: 'pcs',
      MLFLOW_TRACKING_URI: 'http://mlflow:5000',
    });
    assert.deepEqual(config.events.kafka.brokers, ['a:9092', 'b:9093']);
    assert.equal(config.events.kafka.topic, 'prod.run-events');
    assert.equal(config.influxdb?.target.version, 1);
    assert.equal(config.mlflow?.trackingUri, 'http://mlflow:5000');
    const v2 = parseConfig({
      INFLUXDB_URL: 'http://i:8086',
      INFLUXDB_TOKEN: 't',
      INFLUXDB_ORG: 'o',
      INFLUXDB_BUCKET: 'b',
    });
    assert.equal(v2.influxdb?.target.version, 2);
  });

  it('refuses the guide placeholder secrets in production', () => {
    const found = problems({
      NODE_ENV: 'production',
      METRICS_ENCRYPTION_KEY: 'your_secure_32_char_key_here',
      AUDIT_SECRET: 'your_blockchain_audit_secret',
      GRAFANA_ADMIN_PASSWORD: 'your_secure_password',
    });
    for (const name of ['METRICS_ENCRYPTION_KEY', 'AUDIT_SECRET', 'GRAFANA_ADMIN_PASSWORD']) {
      assert.match(found[name] ?? '', /placeholder/, name);
    }
  });

  it('refuses an encryption key of the wrong length in production', () => {
    assert.match(
      problems({ NODE_ENV: 'production', METRICS_ENCRYPTION_KEY: 'short' })
        .METRICS_ENCRYPTION_KEY ?? '',
      /32 bytes/,
    );
  });

  it('accepts 32-character and 64-hex-digit keys in production', () => {
    const audit = { AUDIT_SECRET: 'a'.repeat(16) };
    parseConfig({ NODE_ENV: 'production', METRICS_ENCRYPTION_KEY: 'k'.repeat(32), ...audit });
    parseConfig({ NODE_ENV: 'production', METRICS_ENCRYPTION_KEY: 'ab'.repeat(32), ...audit });
  });

  it('requires AUDIT_SECRET in production, and a 32-byte key in any mode', () => {
    assert.match(problems({ NODE_ENV: 'production' }).AUDIT_SECRET ?? '', /required/);
    assert.match(problems({ METRICS_ENCRYPTION_KEY: 'short' }).METRICS_ENCRYPTION_KEY ?? '', /32/);
    assert.match(
      problems({ METRICS_ENCRYPTION_KEY_PREVIOUS: 'short' }).METRICS_ENCRYPTION_KEY_PREVIOUS ?? '',
      /32/,
    );
  });

  it('allows the placeholders outside production', () => {
    parseConfig({ METRICS_ENCRYPTION_KEY: 'your_secure_32_char_key_here' });
  });

  it('never puts a secret value into the error message', () => {
    try {
      parseConfig({ NODE_ENV: 'production', METRICS_ENCRYPTION_KEY: 'topsecretvalue', PORT: 'x' });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.doesNotMatch(error.message, /topsecretvalue/);
    }
  });
});

describe('configuration documentation', () => {
  it('.env.example lists every variable', () => {
    const example = readFileSync('.env.example', 'utf8');
    const missing = CONFIG_VARIABLES.filter(
      (name) => !new RegExp(`^#?\\s*${name}=`, 'm').test(example),
    );
    assert.deepEqual(missing, []);
  });

  it('the configuration reference (docs/configuration.md) lists every variable', () => {
    const reference = readFileSync('docs/configuration.md', 'utf8');
    const missing = CONFIG_VARIABLES.filter((name) => !reference.includes(`| \`${name}\``));
    assert.deepEqual(missing, []);
  });
});
