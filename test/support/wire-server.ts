/**
 * Loopback HTTP servers that speak the real wire formats of Ollama (/api/chat, /api/tags,
 * /api/embed) and OpenAI (/v1/chat/completions, /v1/models, /v1/embeddings, /v1/moderations in
 * OpenAI's answer shape: see `MODERATION_CATEGORIES` and `moderationScores`). Each request can
 * be answered normally or with a scripted fault (slow, 429 with Retry-After, 500, malformed
 * JSON, 401). They record every request (headers included) and the peak number of requests in
 * flight, which is how tests prove concurrency limits and trace propagation.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashedEmbedding } from '../../src/providers/hashed-embedding.js';

export type WireFormat = 'ollama' | 'openai';

export type Fault =
  | { kind: 'slow'; delayMs: number }
  | {
      kind: 'status';
      status: number;
      retryAfter?: string;
      body?: string;
      /** Only for a chat request whose JSON body contains this text (else it waits its turn). */
      match?: string;
    }
  | { kind: 'malformed' }
  | { kind: 'hang' };

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
  readonly receivedAt: number;
}

export interface WireServer {
  readonly url: string;
  readonly format: WireFormat;
  readonly requests: RecordedRequest[];
  /** Faults for the next chat requests, consumed in order. */
  readonly faults: Fault[];
  /** Faults for the next model-list requests (/api/tags, /v1/models), consumed in order. */
  readonly listFaults: Fault[];
  /** When set, the raw JSON body of every normal chat answer (replaces the wire format's). */
  chatBody: ((prompt: string, model: string) => unknown) | undefined;
  /** Latency added to every normal chat answer. */
  latencyMs: number;
  /**
   * The logprob of each output token, sent (OpenAI wire, one token per word) when the request
   * asks with `logprobs: true`; unset: none are sent, as servers without logprobs do.
   */
  logProbs: readonly number[] | undefined;
  /**
   * The moderation model's score (0–1) of each category for a text; a category scoring 0.5 or
   * more is flagged. Default: 0.9 for each category named in square brackets in the text
   * (`"[violence]"`), 0.01 for the others.
   */
  moderationScores: (text: string) => Record<string, number>;
  /** What the model answers for a prompt (default: "echo: <last user message>"). */
  answer: (prompt: string, model?: string) => string;
  readonly peakInFlight: () => number;
  /** Chat requests whose client went away (aborted, or its process killed) before the answer. */
  readonly abandoned: () => number;
  /** Starts counting the peak again from the requests in flight now. */
  readonly resetPeakInFlight: () => void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? undefined : JSON.parse(text));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const MODELS = ['alpha', 'beta:7b'];

interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  logprobs?: boolean;
}

export function tokens(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

function chatAnswer(
  format: WireFormat,
  body: ChatBody,
  output: string,
  logProbs?: readonly number[],
): unknown {
  const promptText = body.messages.map((m) => m.content).join(' ');
  if (format === 'ollama') {
    return {
      model: body.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: output },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: tokens(promptText),
      eval_count: tokens(output),
    };
  }
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: `${body.model}-2024`,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: output },
        finish_reason: 'stop',
        ...(body.logprobs === true && logProbs !== undefined
          ? {
              logprobs: {
                content: output
                  .split(/\s+/)
                  .map((token, i) => ({ token, logprob: logProbs[i] ?? 0, top_logprobs: [] })),
              },
            }
          : {}),
      },
    ],
    usage: {
      prompt_tokens: tokens(promptText),
      completion_tokens: tokens(output),
      total_tokens: tokens(promptText) + tokens(output),
    },
  };
}

export async function startWireServer(format: WireFormat): Promise<WireServer> {
  let inFlight = 0;
  let peak = 0;
  let abandoned = 0;
  const sockets = new Set<import('node:net').Socket>();
  const state: Omit<
    WireServer,
    'url' | 'close' | 'peakInFlight' | 'resetPeakInFlight' | 'abandoned'
  > = {
    format,
    requests: [],
    faults: [],
    listFaults: [],
    chatBody: undefined,
    logProbs: undefined,
    latencyMs: 0,
    answer: (prompt) => `echo: ${prompt}`,
    moderationScores: (text) =>
      Object.fromEntries(
        MODERATION_CATEGORIES.map((c) => [c, text.includes(`[${c}]`) ? 0.9 : 0.01]),
      ),
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      let body: unknown;
      try {
        body = await readBody(req);
      } catch {
        json(res, 400, { error: 'bad json' });
        return;
      }
      state.requests.push({ path, headers: req.headers, body, receivedAt: Date.now() });
      const chatPath = format === 'ollama' ? '/api/chat' : '/v1/chat/completions';
      if (req.method === 'GET' && (path === '/api/tags' || path === '/v1/models')) {
        const listFault = state.listFaults.shift();
        if (listFault?.kind === 'status') {
          res.writeHead(listFault.status, { 'content-type': 'application/json' });
          res.end(listFault.body ?? '{}');
          return;
        }
        json(
          res,
          200,
          format === 'ollama'
            ? { models: MODELS.map((name) => ({ name, size: 1 })) }
            : { object: 'list', data: MODELS.map((id) => ({ id, object: 'model' })) },
        );
        return;
      }
      if (req.method === 'POST' && (path === '/api/embed' || path === '/v1/embeddings')) {
        const input = (body as { input: string[] }).input;
        const vectors = input.map((t) => hashedEmbedding(t));
        json(
          res,
          200,
          format === 'ollama'
            ? { embeddings: vectors }
            : {
                data: vectors.map((embedding, index) => ({
                  index,
                  embedding,
                  object: 'embedding',
                })),
              },
        );
        return;
      }
      if (req.method === 'POST' && path === '/v1/moderations' && format === 'openai') {
        json(res, 200, moderationAnswer(body, state.moderationScores));
        return;
      }
      if (req.method !== 'POST' || path !== chatPath) {
        json(res, 404, { error: 'not found' });
        return;
      }
      inFlight++;
      peak = Math.max(peak, inFlight);
      res.on('close', () => {
        if (!res.writableFinished) abandoned++;
      });
      try {
        const text = JSON.stringify(body);
        const at = state.faults.findIndex(
          (f) => f.kind !== 'status' || f.match === undefined || text.includes(f.match),
        );
        const fault = at === -1 ? undefined : state.faults.splice(at, 1)[0];
        if (fault?.kind === 'hang') return; // never answers; the client must time out or abort
        if (fault?.kind === 'status') {
          res.writeHead(fault.status, {
            'content-type': 'application/json',
            ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
          });
          res.end(fault.body ?? JSON.stringify({ error: { message: `scripted ${fault.status}` } }));
          return;
        }
        if (fault?.kind === 'malformed') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"choices": [ this is not json');
          return;
        }
        const delay = fault?.kind === 'slow' ? fault.delayMs : state.latencyMs;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        const chat = body as ChatBody;
        const prompt = chat.messages.at(-1)?.content ?? '';
        json(
          res,
          200,
          state.chatBody === undefined
            ? chatAnswer(format, chat, state.answer(prompt, chat.model), state.logProbs)
            : state.chatBody(prompt, chat.model),
        );
      } finally {
        inFlight--;
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    peakInFlight: () => peak,
    abandoned: () => abandoned,
    resetPeakInFlight: () => {
      peak = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}

/** OpenAI's moderation categories (omni-moderation-latest). */
export const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
];

/**
 * OpenAI's moderation answer for a request `{model, input}` (a text, a list of texts, or a list
 * of `{type: "text", text}` parts, which are one input): one result per input.
 */
function moderationAnswer(
  body: unknown,
  scoresOf: (text: string) => Record<string, number>,
): unknown {
  const { model, input } = body as { model?: string; input: unknown };
  const parts = Array.isArray(input) ? (input as unknown[]) : [input];
  const texts = parts.every((p) => typeof p === 'string')
    ? parts
    : [parts.map((p) => (p as { text?: string }).text ?? '').join(' ')];
  return {
    id: 'modr-loopback',
    model: model ?? 'omni-moderation-latest',
    results: texts.map((text) => {
      const scores = scoresOf(text);
      const categories = Object.fromEntries(
        Object.entries(scores).map(([c, score]) => [c, score >= 0.5]),
      );
      return {
        flagged: Object.values(categories).some(Boolean),
        categories,
        category_scores: scores,
      };
    }),
  };
}

/** A loopback port with nothing listening, for connection-refused cases. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
