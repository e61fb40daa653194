/**
 * The real Elasticsearch (Maven Central's integ-test-zip, engines/elasticsearch) for one test
 * file: single node, security off (the minimal distribution has none), HTTP and transport on
 * free 127.0.0.1 ports, data, logs and a copy of the configuration in a temporary folder. It
 * refuses to run as root: as root, the test runs it as the system user `pcs-engine` (created by
 * scripts/install-engines.sh). Java: ES_JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, cpSync, mkdirSync, readdirSync, appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnEngine, untilReady } from './engine-cache.js';
import { tempDir } from './temp-dir.js';
import { closedPort } from './wire-server.js';

export interface Elasticsearch {
  readonly url: string;
  /** `_search` on `index` (refreshed first); returns the hits' `_source`. */
  search(index: string, query: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

const RUN_AS = 'pcs-engine';

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

/** Starts Elasticsearch from the engine folder `dir` (see engine-cache.ts). */
export async function startElasticsearch(dir: string): Promise<Elasticsearch> {
  const home = join(dir, readdirSync(dir).find((f) => f.startsWith('elasticsearch-')) ?? '');
  const work = tempDir('pcs-elasticsearch-');
  const [http, transport] = [await closedPort(), await closedPort()];
  const config = join(work.path, 'config');
  cpSync(join(home, 'config'), config, { recursive: true });
  appendFileSync(
    join(config, 'elasticsearch.yml'),
    [
      '',
      'cluster.name: pcs-test',
      'node.name: pcs-test',
      `path.data: ${join(work.path, 'data')}`,
      `path.logs: ${join(work.path, 'logs')}`,
      'network.host: 127.0.0.1',
      `http.port: ${http}`,
      `transport.port: ${transport}`,
      'discovery.type: single-node',
      'xpack.security.enabled: false',
      // A shared machine's disk may be fuller than the default watermarks allow.
      'cluster.routing.allocation.disk.threshold_enabled: false',
      '',
    ].join('\n'),
  );
  writeFileSync(join(config, 'jvm.options.d', 'heap.options'), '-Xms512m\n-Xmx512m\n');
  mkdirSync(join(work.path, 'data'));
  mkdirSync(join(work.path, 'logs'));
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number(execFileSync('id', ['-u', RUN_AS]).toString()),
        gid: Number(execFileSync('id', ['-g', RUN_AS]).toString()),
      }
    : {};
  if (ids.uid !== undefined) chownTree(work.path, ids.uid, ids.gid);
  const engine = spawnEngine(join(home, 'bin', 'elasticsearch'), [], {
    ...ids,
    cwd: work.path,
    env: {
      ...process.env,
      ES_JAVA_HOME: process.env.ES_JAVA_HOME ?? '/usr/lib/jvm/temurin-25-jdk-amd64',
      ES_PATH_CONF: config,
    },
  });
  const url = `http://127.0.0.1:${http}`;
  await untilReady(
    `Elasticsearch at ${url}`,
    engine,
    () => fetch(`${url}/_cluster/health`).then((r) => r.ok),
    300_000,
  );
  return {
    url,
    async search(index, query) {
      await fetch(`${url}/${index}/_refresh`, { method: 'POST' });
      const response = await fetch(`${url}/${index}/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ size: 1000, query }),
      });
      if (response.status === 404) return [];
      const body = (await response.json()) as {
        hits?: { hits: { _source: Record<string, unknown> }[] };
      };
      return body.hits?.hits.map((h) => h._source) ?? [];
    },
    async dispose() {
      await engine.stop(60_000);
      work.remove();
    },
  };
}
