/**
 * A card's failing production spans, newest first: what went in, what came out, the assertion
 * that failed (or the error), and a link to the trace. Reads the verdict list in keyset pages
 * of 100, at most 5 pages (500 verdicts) per step, until 20 more failing spans are found.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { OnlineEvaluation } from '../api/generated';
import type { Page } from '../api/types';
import { failedAssertions, isFailing, traceUrl } from '../lib/production';
import { errorText } from '../use-api';

const WANTED = 20;
const PAGES_PER_STEP = 5;

export function FailingSpans({
  cardId,
  traceTemplate,
}: {
  cardId: string;
  traceTemplate: string | null;
}) {
  const [failing, setFailing] = useState<OnlineEvaluation[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [scanned, setScanned] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const step = useCallback(
    async (from: string | undefined, restart: boolean) => {
      setBusy(true);
      setError('');
      try {
        const found: OnlineEvaluation[] = [];
        let cursor = from;
        let read = 0;
        for (let i = 0; i < PAGES_PER_STEP && found.length < WANTED; i++) {
          const after = cursor === undefined ? '' : `&after=${encodeURIComponent(cursor)}`;
          const page = await api<Page<OnlineEvaluation>>(
            `/api/prompt-cards/${cardId}/online-evaluations?limit=100${after}`,
          );
          read += page.items.length;
          found.push(...page.items.filter(isFailing));
          cursor = page.next ?? undefined;
          if (page.next === null) break;
        }
        setFailing((f) => (restart ? found : [...f, ...found]));
        setScanned((s) => (restart ? read : s + read));
        setNext(cursor ?? null);
      } catch (e) {
        setError(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [cardId],
  );
  useEffect(() => void step(undefined, true), [step]);

  return (
    <section className="panel" aria-labelledby="failing-title">
      <h2 id="failing-title">
        Failing spans{' '}
        <button type="button" className="link" onClick={() => void step(undefined, true)}>
          Refresh
        </button>
      </h2>
      <p className="muted small-text" data-testid="failing-scanned">
        {failing.length} failing of the {scanned} newest verdicts
      </p>
      {error !== '' && (
        <p className="fail" role="alert">
          {error}
        </p>
      )}
      {failing.length === 0 && next !== undefined && !busy && (
        <p className="muted">No failing span among them.</p>
      )}
      <ul className="failing-spans">
        {failing.map((e) => {
          const link = traceUrl(traceTemplate, e.trace_id, e.span_id);
          return (
            <li key={e.id} data-testid="failing-span">
              <p>
                <strong>{new Date(e.span_ended_at).toLocaleString()}</strong>{' '}
                <span className="tag">{e.model ?? 'unknown model'}</span>{' '}
                {link === null ? (
                  <span className="mono small-text">trace {e.trace_id}</span>
                ) : (
                  <a href={link} target="_blank" rel="noreferrer" data-testid="trace-link">
                    Trace {e.trace_id.slice(0, 8)}…
                  </a>
                )}
              </p>
              <ul className="failed-assertions">
                {failedAssertions(e).map((text, i) => (
                  <li key={i} className="fail">
                    {text}
                  </li>
                ))}
                {e.error !== null && <li className="fail">error: {e.error}</li>}
              </ul>
              <div className="span-io">
                <div>
                  <h3>Input</h3>
                  <pre className="mono">{e.input}</pre>
                </div>
                <div>
                  <h3>Output</h3>
                  <pre className="mono">{e.output}</pre>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      {typeof next === 'string' && (
        <button type="button" disabled={busy} onClick={() => void step(next, false)}>
          Search older verdicts
        </button>
      )}
    </section>
  );
}
