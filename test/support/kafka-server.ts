/**
 * A real Apache Kafka broker (the jars of engines/kafka/pom.xml, installed by
 * `scripts/install-engines.sh kafka`) for one test file: KRaft mode, one node that is broker
 * and controller, `kafka.tools.StorageTool format` then `kafka.Kafka`, free ports on 127.0.0.1,
 * log in a temporary folder. `stop()` and `start()` restart it on the same ports and log (an
 * outage that loses nothing the broker acknowledged).
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnEngine, untilReady, type EngineProcess } from './engine-cache.js';
import { tempDir } from './temp-dir.js';
import { closedPort } from './wire-server.js';

export interface KafkaServer {
  /** `127.0.0.1:<port>` of the PLAINTEXT listener. */
  readonly bootstrap: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * The record batches the broker stored for `topic`, read from its log segments with Kafka's
   * own `kafka.tools.DumpLogSegments` (producer id and sequence show the idempotent producer).
   */
  batches(topic: string): Promise<StoredBatch[]>;
  dispose(): Promise<void>;
}

export interface StoredBatch {
  readonly partition: number;
  readonly count: number;
  readonly producerId: number;
  readonly baseSequence: number;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts the broker from the engine folder `dir` (see engine-cache.ts). */
export async function startKafkaServer(dir: string): Promise<KafkaServer> {
  const work = tempDir('pcs-kafka-');
  const port = await closedPort();
  const controllerPort = await closedPort();
  const properties = join(work.path, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${join(work.path, 'log')}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  const log4j = join(work.path, 'log4j2.properties');
  writeFileSync(
    log4j,
    [
      'rootLogger.level=WARN',
      'rootLogger.appenderRef.stdout.ref=STDOUT',
      'appender.stdout.type=Console',
      'appender.stdout.name=STDOUT',
      'appender.stdout.layout.type=PatternLayout',
      'appender.stdout.layout.pattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  const java = (main: string, args: string[]) =>
    spawnEngine('java', [
      '-Xms256m',
      '-Xmx512m',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      `${join(dir, 'libs')}/*`,
      main,
      ...args,
    ]);

  // KRaft storage: a cluster id (16 random bytes, URL-safe base64) written into the log folder.
  const clusterId = randomBytes(16).toString('base64url');
  const format = java('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', properties]);
  const code = await new Promise<number | null>((resolve) => format.child.once('exit', resolve));
  if (code !== 0) throw new Error(`kafka StorageTool format failed (${code}):\n${format.output()}`);

  let broker: EngineProcess | undefined;
  const start = async () => {
    const engine = java('kafka.Kafka', [properties]);
    broker = engine;
    await untilReady(`Kafka at 127.0.0.1:${port}`, engine, () => portOpen(port), 180_000);
  };
  const stop = async () => {
    const running = broker;
    broker = undefined;
    await running?.stop(30_000);
  };
  await start();
  const logDir = join(work.path, 'log');
  return {
    bootstrap: `127.0.0.1:${port}`,
    start,
    stop,
    async batches(topic) {
      const found: StoredBatch[] = [];
      for (const folder of readdirSync(logDir).filter((f) => f.startsWith(`${topic}-`))) {
        const partition = Number(folder.slice(topic.length + 1));
        const segments = readdirSync(join(logDir, folder))
          .filter((f) => f.endsWith('.log'))
          .map((f) => join(logDir, folder, f));
        const dump = java('kafka.tools.DumpLogSegments', ['--files', segments.join(',')]);
        await new Promise((resolve) => dump.child.once('exit', resolve));
        for (const m of dump
          .output()
          .matchAll(
            /count: (\d+) baseSequence: (-?\d+) lastSequence: -?\d+ producerId: (-?\d+)/g,
          )) {
          found.push({
            partition,
            count: Number(m[1]),
            baseSequence: Number(m[2]),
            producerId: Number(m[3]),
          });
        }
      }
      return found;
    },
    async dispose() {
      await stop();
      work.remove();
    },
  };
}
