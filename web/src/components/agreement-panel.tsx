/**
 * How often the judge (the card's assertions) agrees with people's ratings, per model, from
 * GET /api/prompt-cards/:id/agreement (the prompt_judge_human_agreement_ratio gauge's figures).
 */
import { useEffect } from 'react';
import type { Agreement } from '../api/types';
import { percent } from '../lib/format';
import { useApi } from '../use-api';

export function AgreementPanel({
  cardId,
  models,
  version,
}: {
  cardId: string;
  /** Models to show (all the card has ratings for when absent). */
  models?: readonly string[];
  /** Changes when a rating was saved: the figures are read again. */
  version: number;
}) {
  const agreement = useApi<{ items: Agreement[] }>(
    `/api/prompt-cards/${encodeURIComponent(cardId)}/agreement`,
  );
  const { reload } = agreement;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const items = (agreement.data?.items ?? []).filter(
    (a) => models === undefined || models.includes(a.model),
  );
  return (
    <section className="panel" aria-labelledby="agreement-heading">
      <h2 id="agreement-heading">Judge agreement with people</h2>
      {items.length === 0 ? (
        <p className="muted small-text">
          No rated result yet: rate results (👍 / 👎) to measure how often the assertions agree with
          people.
        </p>
      ) : (
        <ul className="agreement" data-testid="agreement">
          {items.map((a) => (
            <li key={a.model}>
              <strong>{a.model}</strong>:{' '}
              <span data-testid={`agreement-${a.model}`}>{percent(a.agreement_ratio)}</span>{' '}
              <span className="muted">
                ({a.agreements} of {a.judged_ratings} judged ratings agree; {a.ratings} rated)
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
