/**
 * Answers a list as JSON written item by item, `{"items":[…], ...tail}`, waiting for the
 * socket to drain between items. The body is never one string, so its size is bounded by
 * neither V8's largest string (about 512 MiB; `JSON.stringify` of a larger page throws
 * `RangeError: Invalid string length`) nor memory: one item is in memory at a time.
 *
 * Once the first byte is sent the status is 200; a failure after that (the database goes
 * away mid-page) destroys the connection, so the client sees a truncated body and a
 * connection error, never a well-formed but incomplete list.
 */
import type { Response } from 'express';

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
  try {
    res.write('{"items":[');
    for await (const item of items) {
      if (res.destroyed) return;
      const chunk = `${first ? '' : ','}${JSON.stringify(item)}`;
      first = false;
      if (!res.write(chunk)) await drained(res);
    }
    const rest = JSON.stringify(await tail());
    res.end(`]${rest === '{}' ? '' : `,${rest.slice(1, -1)}`}}`);
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
