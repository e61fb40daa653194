/**
 * KAFKA_TLS_CA_FILE is read when the Kafka sink is made (the service's start), so a missing
 * file stops the start instead of failing every publish after it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaSink } from '../../../src/sinks/kafka-sink.js';

describe('kafka sink TLS CA file', () => {
  it('a missing CA file fails when the sink is made, naming the file', () => {
    assert.throws(
      () =>
        kafkaSink({
          brokers: ['127.0.0.1:9'],
          topic: 't',
          clientId: 'c',
          tls: { caFile: '/nonexistent/kafka-ca.pem' },
        }),
      /ENOENT.*\/nonexistent\/kafka-ca\.pem/,
    );
  });
});
