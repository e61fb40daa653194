/**
 * POSTs a JSON body and turns the answer into success or a classified `DeliveryError`. undici
 * loads on the first POST: a process that never notifies does not pay for it.
 */
import type { Dispatcher } from 'undici';
import { parseRetryAfter } from '../../providers/index.js';
import { cutText } from '../../util/index.js';
import { DeliveryError } from './notifier.js';

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<string> {
  const { request } = await import('undici');
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new DeliveryError('timed out', true);
    throw new DeliveryError(
      `cannot reach ${new URL(url).origin}: ${error instanceof Error ? error.message : String(error)}`,
      true,
    );
  }
  const text = await response.body.text();
  const status = response.statusCode;
  if (status >= 200 && status < 300) return text;
  const retryAfter = response.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(
    Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
  );
  throw new DeliveryError(
    `HTTP ${status}: ${cutText(text, 200)}`,
    status === 429 || status >= 500,
    retryAfterMs,
  );
}
