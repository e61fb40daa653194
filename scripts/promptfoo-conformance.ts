/**
 * Conformance of `prompt-cards eval` with `promptfoo eval` on promptfoo's own example suites:
 * each suite folder under CORPUS (default /tmp/cli-pf/corpus; copies of promptfoo's
 * examples/, not kept in this repository) runs unmodified with both tools against one loopback
 * OpenAI-wire server whose answers are scripted from the request (tool calls when tools are
 * sent, a function call for functions, JSON for a json_schema response format, a passing
 * grade in the form each grading prompt asks for, else a pirate echo). Prints, per suite, whether each tool
 * accepted it and how many of promptfoo's per-test verdicts ours matches.
 *
 *   PROMPTFOO_BIN=<promptfoo entrypoint.js> CLI=<src/cli/main.ts> npx tsx scripts/promptfoo-conformance.ts
 *
 * ONLY=a,b runs those suites; DEBUG=1 prints each verdict that differs (prompt/test/provider).
 * PF_CACHE=<dir> keeps promptfoo's JSON report of each suite there and reuses it on the next
 * run (the server's answers are scripted, so promptfoo's verdicts do not change between runs;
 * delete the folder after changing the server or a suite).
 *
 * Environment of both runs: OPENAI_BASE_URL (the server), OPENAI_API_KEY, and for ours the
 * grader and embedding model a promptfoo user moving over names once (GRADER_MODEL,
 * EMBEDDING_MODEL; promptfoo picks the same OpenAI models by default).
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { hashedEmbedding } from '../src/providers/hashed-embedding.js';

const CORPUS = process.env.CORPUS ?? '/tmp/cli-pf/corpus';
const PROMPTFOO =
  process.env.PROMPTFOO_BIN ??
  '/tmp/cli-pf/promptfoo/node_modules/promptfoo/dist/src/entrypoint.js';
const CLI = resolve(process.env.CLI ?? 'src/cli/main.ts');
const TSX = resolve('node_modules/tsx/dist/loader.mjs');

interface Msg {
  role: string;
  content: unknown;
}
interface Body {
  messages: Msg[];
  tools?: { function: { name: string } }[];
  functions?: { name: string }[];
  response_format?: { type?: string };
  input?: string[];
}

/**
 * A grader's answer in the form each model-graded kind asks for (promptfoo's grading prompts,
 * recognised by their wording): G-Eval's steps and score, factuality's category, closed QA's
 * Y, the RAG kinds' statements and verdicts. Every one is a favourable grade, the same for
 * both tools; undefined when the text is no grading prompt.
 */
function graderAnswer(text: string): string | undefined {
  if (/"steps"/.test(text) && /steps/i.test(text) && !/"score"/.test(text))
    return '{"steps":["Read the reply","Check it against the criteria","Score it"]}';
  if (/"score"/.test(text) && /"reason"/.test(text) && /criteria/i.test(text))
    return '{"score":8,"reason":"The reply follows the criteria."}';
  if (/expert/i.test(text) && /category|\(A\)/i.test(text))
    return '{"category":"C","reason":"The submission has the same details as the expert answer."}';
  if (/criterion/i.test(text) && /\bY\b/.test(text))
    return 'The submission meets the criterion.\nY\nY';
  if (/Generate question for the given answer/i.test(text)) return 'What is the answer about?';
  if (/\[Attributed\]/.test(text)) return '1. The sentence is in the context. So [Attributed]';
  if (/extract relevant sentences/i.test(text)) return text.split('\n').at(-2) ?? 'context';
  if (/create one or more statements/i.test(text)) return 'statements:\nThe answer is given.';
  if (/verdict/i.test(text) && /statement/i.test(text))
    return 'The statement follows from the context. Verdict: Yes.\nFinal verdict for each statement in order: Yes.';
  return undefined;
}

function answer(body: Body): Record<string, unknown> {
  const text = body.messages
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
  const lastContent = body.messages.at(-1)?.content;
  const last = typeof lastContent === 'string' ? lastContent : JSON.stringify(lastContent ?? '');
  const city = /in ([A-Z][\w ]+)\?/.exec(last)?.[1] ?? 'Boston';
  const place = city === 'Boston' ? 'Boston, MA' : city;
  const message: Record<string, unknown> = { role: 'assistant', content: null };
  let finish = 'stop';
  const graded = graderAnswer(text);
  if (graded !== undefined) message.content = graded;
  else if (/rubric/i.test(text))
    message.content = '{"pass": true, "score": 1, "reason": "meets the rubric"}';
  else if (body.tools !== undefined) {
    message.tool_calls = [
      {
        id: 'call_1',
        type: 'function',
        function: {
          name: body.tools[0]?.function.name,
          arguments: JSON.stringify({ location: place }),
        },
      },
    ];
    finish = 'tool_calls';
  } else if (body.functions !== undefined) {
    message.function_call = {
      name: body.functions[0]?.name,
      arguments: JSON.stringify({ location: place }),
    };
    finish = 'function_call';
  } else if (body.response_format?.type === 'json_schema')
    message.content = JSON.stringify({
      query_summary: 'charged twice',
      category: 'billing',
      sentiment: 'negative',
      urgency: '4',
      suggested_actions: [{ action: 'Refund the extra charge', priority: 'high' }],
      estimated_resolution_time: '1 day',
    });
  else message.content = `Ahoy! Arrr, Bonjour le monde. ${last}`;
  return {
    id: 'x',
    object: 'chat.completion',
    model: 'm',
    choices: [{ index: 0, message, finish_reason: finish }],
    usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
  };
}

async function startServer(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const body = (data === '' ? {} : JSON.parse(data)) as Body;
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/embeddings')) {
        const input = Array.isArray(body.input) ? body.input : [String(body.input)];
        res.end(
          JSON.stringify({
            data: input.map((t, index) => ({ index, embedding: hashedEmbedding(t) })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      } else if (req.url?.endsWith('/models')) res.end(JSON.stringify({ data: [] }));
      else if (req.url === '/api/tags') res.end(JSON.stringify({ models: [] }));
      else if (req.url === '/api/chat' || req.url === '/api/generate') {
        // Ollama's wire: the same scripted answer as a chat message or a generated text.
        const prompt = (body as { prompt?: string }).prompt;
        const messages = prompt === undefined ? body.messages : [{ role: 'user', content: prompt }];
        const choice = (
          answer({ ...body, messages }).choices as { message: { content: string } }[]
        )[0];
        const content = choice?.message.content ?? '';
        res.end(
          JSON.stringify({
            model: 'ollama',
            created_at: new Date().toISOString(),
            ...(req.url === '/api/chat'
              ? { message: { role: 'assistant', content } }
              : { response: content }),
            done: true,
            done_reason: 'stop',
            prompt_eval_count: 1,
            eval_count: 1,
          }),
        );
      } else res.end(JSON.stringify(answer(body)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => server.close(),
  };
}

type Verdict = 'pass' | 'fail' | 'error';
const key = (p: number, t: number, m: number) => `${p}/${t}/${m}`;

function providerNames(config: string): string[] {
  const doc = parseYaml(readFileSync(config, 'utf8')) as {
    providers: (string | { id: string; label?: string })[];
  };
  // promptfoo's older map form, `- openai:model: {id?, config}`, is named by its key.
  return doc.providers.map((p) => {
    if (typeof p === 'string') return p;
    const [key, inner] = Object.entries(p)[0] ?? ['', undefined];
    const legacy = p.id === undefined ? (inner as { id?: string } | undefined) : undefined;
    return p.label ?? p.id ?? legacy?.id ?? key;
  });
}

/** Runs a command without blocking this process (its loopback server must keep answering). */
function run(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

async function runPromptfoo(
  name: string,
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<Map<string, Verdict> | undefined> {
  const out = join(dir, 'pf-out.json');
  const cached =
    process.env.PF_CACHE === undefined ? undefined : join(process.env.PF_CACHE, `${name}.json`);
  if (cached !== undefined && existsSync(cached)) copyFileSync(cached, out);
  else
    await run(
      [
        PROMPTFOO,
        'eval',
        '-c',
        'promptfooconfig.yaml',
        '-o',
        out,
        '--no-cache',
        '--no-progress-bar',
        '--no-table',
      ],
      dir,
      env,
    );
  if (!existsSync(out)) return undefined;
  if (cached !== undefined && !existsSync(cached)) {
    mkdirSync(dirname(cached), { recursive: true });
    copyFileSync(out, cached);
  }
  const names = providerNames(join(dir, 'promptfooconfig.yaml'));
  const json = JSON.parse(readFileSync(out, 'utf8')) as {
    results: {
      results: {
        promptIdx: number;
        testIdx: number;
        provider: { id: string; label?: string };
        prompt: { label: string };
        success: boolean;
        failureReason?: number;
        error?: string;
      }[];
    };
  };
  const map = new Map<string, Verdict>();
  // promptfoo's promptIdx counts prompt × provider columns: the prompt is found by its label,
  // in the order the columns show them.
  const sorted = [...json.results.results].sort((a, b) => a.promptIdx - b.promptIdx);
  const labels: string[] = [];
  for (const r of sorted) if (!labels.includes(r.prompt.label)) labels.push(r.prompt.label);
  for (const r of json.results.results) {
    // promptfoo reports `openai:chat:x` as `openai:x`, and an empty label when there is none.
    const norm = (id: string) => id.replace(/^openai:chat:/, 'openai:');
    const m = names.findIndex((n) => n === r.provider.label || norm(n) === norm(r.provider.id));
    map.set(
      key(labels.indexOf(r.prompt.label), r.testIdx, m),
      r.success ? 'pass' : r.failureReason === 2 ? 'error' : 'fail',
    );
  }
  return map;
}

async function runOurs(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; verdicts: Map<string, string>; stderr: string }> {
  const out = join(dir, 'pc-out.json');
  const ran = await run(
    ['--import', TSX, CLI, 'eval', '-c', 'promptfooconfig.yaml', '-o', out],
    dir,
    env,
  );
  const verdicts = new Map<string, string>();
  if (ran.status !== 2 && existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      models: { model: string }[];
      rows: { prompt: string; test: string; model: string; verdict: string }[];
    };
    // promptfoo numbers prompts in column order: provider by provider, each one's prompts.
    const cards: string[] = [];
    for (const row of report.rows) if (!cards.includes(row.prompt)) cards.push(row.prompt);
    const prompts: string[] = [];
    for (const m of report.models)
      for (const card of cards)
        if (
          !prompts.includes(card) &&
          report.rows.some((r) => r.prompt === card && r.model === m.model)
        )
          prompts.push(card);
    const tests = new Map<string, string[]>();
    for (const row of report.rows) {
      const list = tests.get(row.prompt) ?? [];
      if (!list.includes(row.test)) list.push(row.test);
      tests.set(row.prompt, list);
      const m = report.models.findIndex((x) => x.model === row.model);
      verdicts.set(key(prompts.indexOf(row.prompt), list.indexOf(row.test), m), row.verdict);
    }
  }
  return { code: ran.status, verdicts, stderr: ran.stderr };
}

async function main(): Promise<void> {
  const server = await startServer();
  const home = mkdtempSync(join(tmpdir(), 'pf-home-'));
  const env = {
    ...process.env,
    OPENAI_API_KEY: 'sk-loopback',
    OPENAI_BASE_URL: server.url,
    OPENAI_API_BASE_URL: server.url,
    OLLAMA_BASE_URL: server.url.replace(/\/v1$/, ''),
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_CONFIG_DIR: home,
    GRADER_MODEL: 'openai:gpt-4.1-mini',
    EMBEDDING_MODEL: 'openai:text-embedding-3-large',
    SIMULATED_FAILURE_RATE: '0',
  };
  let accepted = 0;
  let agree = 0;
  let total = 0;
  const suites = readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((n) => process.env.ONLY === undefined || process.env.ONLY.split(',').includes(n))
    .sort();
  for (const name of suites) {
    const dir = mkdtempSync(join(tmpdir(), `conf-${name}-`));
    cpSync(join(CORPUS, name), dir, { recursive: true });
    const theirs = (await runPromptfoo(name, dir, env)) ?? new Map<string, Verdict>();
    const ours = await runOurs(dir, env);
    if (ours.code !== 2) accepted++;
    let same = 0;
    for (const [k, v] of theirs) {
      if (ours.verdicts.get(k) === v) same++;
      else if (process.env.DEBUG !== undefined)
        process.stdout.write(`  ${k}: promptfoo ${v}, ours ${ours.verdicts.get(k) ?? 'none'}\n`);
    }
    agree += same;
    total += theirs.size;
    const why =
      ours.code === 2 || ours.verdicts.size === 0
        ? ` — ${ours.stderr.trim().split('\n').slice(0, 3).join(' | ')}`
        : '';
    process.stdout.write(
      `${name}: ours exit ${ours.code}, verdicts agree ${same}/${theirs.size}${why}\n`,
    );
  }
  server.close();
  process.stdout.write(
    `accepted ${accepted}/${suites.length}; verdicts agree ${agree}/${total} (${total === 0 ? 0 : ((100 * agree) / total).toFixed(0)} %)\n`,
  );
}

void main();
