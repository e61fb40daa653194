/**
 * Answers a list as JSON written item by item, `{"items":[…], ...tail}`: items are serialized
 * one at a time and handed to the socket in writes of about `FLUSH_CHARS` (one write per item
 * would be one system call and one chunk of the chunked encoding each: 500 small results were
 * 500 writes), waiting for the socket to drain between writes. The body is never one string,
 * so its size is bounded by neither V8's largest string (about 512 MiB; `JSON.stringify` of a
 * larger page throws `RangeError: Invalid string length`) nor memory: one item and at most
 * `FLUSH_CHARS` of serialized ones are in memory at a time.
 *
 * Once the first byte is sent the status is 200; a failure after that (the database goes
 * away mid-page) destroys the connection, so the client sees a truncated body and a
 * connection error, never a well-formed but incomplete list.
 */
import type { Response } from 'express';

/** Serialized characters gathered before a write to the socket: 64 Ki. */
const FLUSH_CHARS = 64 * 1024;

/** Resolves when the socket can take more, or rejects when it closed first. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('the client went away'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export async function streamJsonList(
  res: Response,
  items: AsyncIterable<unknown>,
  tail: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<void> {
  res.status(200).type('application/json');
  let first = true;
  let pending: string[] = ['{"items":['];
  let chars = pending[0]?.length ?? 0;
  try {
    for await (const item of items) {
      if (res.destroyed) return;
      const chunk = `${first ? '' : ','}${JSON.stringify(item)}`;
      first = false;
      pending.push(chunk);
      chars += chunk.length;
      if (chars < FLUSH_CHARS) continue;
      const written = res.write(pending.length === 1 ? chunk : pending.join(''));
      pending = [];
      chars = 0;
      if (!written) await drained(res);
    }
    const rest = JSON.stringify(await tail());
    pending.push(`]${rest === '{}' ? '' : `,${rest.slice(1, -1)}`}}`);
    res.end(pending.join(''));
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
