import type { Request } from 'express';

/** One change of state, as routes report it to the audit trail. */
export interface Change {
  /** `<thing>.<verb>`: `card.created`, `run.cancelled`, `api_key.revoked`, … */
  readonly action: string;
  readonly targetId: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** Who, when the route has no authenticated caller (a webhook with its own token). */
  readonly actor?: { readonly subject: string; readonly role: string };
}

/**
 * Records a change made by `req`'s caller; routes await it before answering, so an
 * acknowledged change is always in the trail.
 */
export type RecordChange = (req: Request, change: Change) => Promise<void>;

export const recordNothing: RecordChange = () => Promise.resolve();
