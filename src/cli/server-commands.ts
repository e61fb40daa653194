/**
 * Commands that talk to a running service: `compare` (exit 1 on a significant regression, or
 * when the candidate lacks a model or test the baseline had) and
 * `export` (streams a run's results into a .jsonl or .csv file). Errors of the service are
 * printed with their catalog code; an unreachable service or an unknown run exits 2.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { extname, dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Comparison } from '../runs/index.js';
import { fetchRetrying } from './service-client.js';
import { missingLines } from './missing-cases.js';

/** A failure the user can fix (bad run id, unreachable service, bad file): exit 2. */
export class CommandError extends Error {}

/**
 * `url` as an error may show it: credentials in it (`http://user:key@host`, a `?token=` query)
 * replaced by `***`, so a key put in `--server` is never printed.
 */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = '***';
      parsed.password = '';
    }
    if (parsed.search !== '') parsed.search = '?***';
    return parsed.toString();
  } catch {
    return 'the --server URL';
  }
}

function apiUrl(server: string, path: string): string {
  return `${server.replace(/\/+$/, '')}/api${path}`;
}

/**
 * The headers that authenticate to a service with AUTH_MODE=api-key: `Authorization: Bearer
 * <key>` when a key is given (`--api-key`, else PROMPT_CARDS_API_KEY), none otherwise. The key
 * is only ever sent, never printed.
 */
export function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey === undefined || apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` };
}

/** The API key of a command: its `--api-key`, else PROMPT_CARDS_API_KEY, else none. */
export function resolveApiKey(option: string | undefined): string | undefined {
  const key = option ?? process.env.PROMPT_CARDS_API_KEY;
  return key === undefined || key.trim() === '' ? undefined : key.trim();
}

/** A GET of the service: retried on 429/503, an unreachable service a CommandError (exit 2). */
function get(url: string, apiKey: string | undefined): Promise<Response> {
  return fetchRetrying(url, { headers: authHeaders(apiKey) });
}

async function failure(response: Response): Promise<CommandError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return new CommandError(
      `${response.status} ${body.error?.code ?? ''}: ${body.error?.message ?? text}`,
    );
  } catch {
    return new CommandError(`${response.status}: ${text.slice(0, 200)}`);
  }
}

export async function compareCommand(
  server: string,
  baseline: string,
  candidate: string,
  alpha: number | undefined,
  log: (line: string) => void,
  apiKey?: string,
): Promise<number> {
  const query = alpha === undefined ? '' : `?alpha=${alpha}`;
  const response = await get(
    apiUrl(
      server,
      `/runs/${encodeURIComponent(candidate)}/compare/${encodeURIComponent(baseline)}${query}`,
    ),
    apiKey,
  );
  if (!response.ok) throw await failure(response);
  const comparison = (await response.json()) as Comparison;
  printComparison(comparison.models, log);
  // A dropped model or test is a failed gate whatever the statistics say of the rest.
  const missing = missingLines(comparison.cases);
  for (const line of missing) log(line);
  return comparison.verdict === 'regression' || missing.length > 0 ? 1 : 0;
}

export function printComparison(models: Comparison['models'], log: (line: string) => void): void {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  for (const m of models) {
    const evidence =
      m.p_value !== null
        ? `McNemar p=${m.p_value.toPrecision(3)}`
        : `95% interval ${m.interval === null ? 'n/a' : `[${m.interval.lower.toFixed(3)}, ${m.interval.upper.toFixed(3)}]`}`;
    log(
      `${m.verdict.toUpperCase()} ${m.model}: ${pct(m.baseline_pass_rate)} → ${pct(m.candidate_pass_rate)} (${evidence}; ${m.counts.fixed} fixed, ${m.counts.broken} broken, ${m.counts.new} new, ${m.counts.removed} removed)`,
    );
  }
}

/** The export format a file name asks for (its extension), or undefined for any other name. */
export function exportFormat(output: string): 'csv' | 'jsonl' | undefined {
  const extension = extname(output).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  return undefined;
}

/**
 * Streams a run's results into `output`, in the format its extension names (.jsonl/.ndjson or
 * .csv). Any other name is refused before the service is asked (CommandError: exit 2).
 */
export async function exportCommand(
  server: string,
  run: string,
  output: string,
  apiKey?: string,
): Promise<void> {
  const format = exportFormat(output);
  if (format === undefined)
    throw new CommandError(
      `-o/--output ${output}: the file name must end in .jsonl, .ndjson or .csv (the format follows it)`,
    );
  const response = await get(
    apiUrl(server, `/runs/${encodeURIComponent(run)}/results.${format}`),
    apiKey,
  );
  if (!response.ok || response.body === null) throw await failure(response);
  // As eval's -o: the folders of the file are created (after the service answered).
  mkdirSync(dirname(output), { recursive: true });
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    createWriteStream(output),
  );
}
