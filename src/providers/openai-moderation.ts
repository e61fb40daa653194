/**
 * OpenAI's moderation endpoint (`POST /v1/moderations`, https://platform.openai.com/docs/api-reference/moderations)
 * on any OpenAI-compatible server: the text goes in as promptfoo sends it (`omni-*` models
 * take a list of `{type: "text", text}` parts, the older `text-moderation-*` a plain text), and
 * the answer's flagged categories come back with their scores (0–1), the highest of any result
 * kept per category, as promptfoo reads them.
 */
import { z } from 'zod';
import { joinUrl, requestJson } from './http-json.js';
import { ProviderError } from './provider-error.js';
import type { ProviderHttp } from './provider-http.js';

/** One flagged category of a moderation answer: OpenAI's name (`violence`, `hate/threatening`). */
export interface ModerationFlag {
  readonly category: string;
  /** The server's `category_scores` entry, 0–1 (0 when it gave none). */
  readonly score: number;
}

const moderationAnswer = z.object({
  results: z.array(
    z.object({
      flagged: z.boolean(),
      categories: z.record(z.string(), z.boolean().nullable()),
      category_scores: z.record(z.string(), z.number()).optional(),
    }),
  ),
});

/** The flagged categories of one text; an answer of another shape is `invalid_response`. */
export async function requestModeration(
  apiBase: string,
  headers: Readonly<Record<string, string>>,
  http: ProviderHttp | undefined,
  model: string,
  text: string,
  signal: AbortSignal,
): Promise<ModerationFlag[]> {
  const input = model.startsWith('text-moderation') ? text : [{ type: 'text', text }];
  const raw = await requestJson(
    joinUrl(apiBase, '/moderations'),
    { body: { model, input }, headers },
    signal,
    http,
  );
  const answer = moderationAnswer.safeParse(raw);
  if (!answer.success)
    throw new ProviderError(
      'invalid_response',
      'Unexpected moderations answer from the OpenAI-compatible server',
    );
  const flags = new Map<string, number>();
  for (const result of answer.data.results) {
    if (!result.flagged) continue;
    for (const [category, flagged] of Object.entries(result.categories)) {
      if (flagged !== true) continue;
      const score = result.category_scores?.[category] ?? 0;
      flags.set(category, Math.max(score, flags.get(category) ?? 0));
    }
  }
  return [...flags].map(([category, score]) => ({ category, score }));
}
