/**
 * Runs the real Prometheus and Alertmanager (Debian packages) as child processes on loopback
 * with non-default ports and temporary storage, and stops them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from './wire-server.js';

export interface Engine {
  readonly url: string;
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function hasBinary(name: string): boolean {
  return spawnSync(name, ['--version']).status === 0;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready at ${url}:\n${output()}`);
}

function start(binary: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

const hostPort = (url: string) => url.replace('http://', '');

/**
 * A Prometheus configuration that scrapes the instances' /api/metrics every second; with
 * `rules` (a file list or glob) it evaluates them every second, and with `alertmanager` it sends
 * the alerts there.
 */
export function scrapeConfig(
  appUrls: readonly string[],
  options: { rules?: string; alertmanager?: string } = {},
): string {
  const rules =
    options.rules === undefined
      ? ''
      : `  evaluation_interval: 1s
rule_files: [${options.rules}]
`;
  const alerting =
    options.alertmanager === undefined
      ? ''
      : `alerting:
  alertmanagers:
    - static_configs:
        - targets: ['${hostPort(options.alertmanager)}']
`;
  return `global:
  scrape_interval: 1s
${rules}${alerting}scrape_configs:
  - job_name: prompt-card-backend
    metrics_path: /api/metrics
    static_configs:
      - targets: [${appUrls.map((url) => `'${hostPort(url)}'`).join(', ')}]
`;
}

/** A Prometheus configuration that scrapes one instance's /api/metrics every second. */
export function scrapeOneInstance(appUrl: string): string {
  return scrapeConfig([appUrl]);
}

export async function startPrometheus(dir: string, config: string): Promise<Engine> {
  mkdirSync(dir, { recursive: true });
  const port = await closedPort();
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const { child, output } = start('prometheus', [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/-/ready`, child, output);
  return { url, process: child, output, stop: () => stopChild(child) };
}

export async function startAlertmanager(dir: string, config: string): Promise<Engine> {
  const port = await closedPort();
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, config);
  const { child, output } = start('prometheus-alertmanager', [
    `--config.file=${configFile}`,
    `--storage.path=${join(dir, 'am')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/-/ready`, child, output);
  return { url, process: child, output, stop: () => stopChild(child) };
}
