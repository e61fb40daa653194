/** One card: edit or delete it, its test cases, starting a run, and its run history. */
import { useState } from 'react';
import { api } from '../api/client';
import type { AssertionType, Card, Page, Run, TestCase } from '../api/types';
import { CardForm } from '../components/card-form';
import { CardVersions } from '../components/card-versions';
import { RunHistory } from '../components/run-history';
import { RunStarter } from '../components/run-starter';
import { TestCaseTable } from '../components/test-case-table';
import { routeHref } from '../lib/hash-route';
import { errorText, useApi } from '../use-api';
import { usePaged } from '../use-paged';

/** Every test case of a card (the API pages by 100). */
export async function loadAllTestCases(cardId: string): Promise<TestCase[]> {
  const all: TestCase[] = [];
  for (let after = ''; ;) {
    const page = await api<Page<TestCase>>(
      `/api/prompt-cards/${cardId}/test-cases?limit=100${after}`,
    );
    all.push(...page.items);
    if (page.next === null) return all;
    after = `&after=${page.next}`;
  }
}

export function CardPage({ cardId }: { cardId: string }) {
  const card = useApi<Card>(`/api/prompt-cards/${cardId}`);
  const types = useApi<{ items: AssertionType[] }>('/api/assertion-types');
  const runs = usePaged<Run>(`/api/prompt-cards/${encodeURIComponent(cardId)}/runs?limit=100`);
  const cases = usePaged<TestCase>(
    `/api/prompt-cards/${encodeURIComponent(cardId)}/test-cases?limit=100`,
  );
  const [error, setError] = useState('');
  const reloadCases = cases.reload;

  if (card.error !== undefined) return <p className="panel fail">{errorText(card.error)}</p>;
  if (card.data === undefined) return <p className="panel muted">Loading…</p>;
  const current = card.data;

  return (
    <div className="card-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={routeHref({ page: 'cards' })}>Cards</a> › {current.title} ·{' '}
        <a href={routeHref({ page: 'production', cardId })}>Production</a>
      </nav>
      <div className="two-columns">
        <section className="panel" aria-labelledby="card-title">
          <h1 id="card-title">{current.title}</h1>
          <CardForm
            key={current.updated_at}
            card={current}
            submitLabel="Save card"
            onSave={async (input) => {
              await api<Card>(`/api/prompt-cards/${cardId}`, { method: 'PUT', body: input });
              card.reload();
            }}
          />
          <button
            type="button"
            className="danger edit-control"
            onClick={() => {
              if (!window.confirm(`Delete "${current.title}" and its test cases?`)) return;
              api(`/api/prompt-cards/${cardId}`, { method: 'DELETE' }).then(
                () => (window.location.hash = routeHref({ page: 'cards' })),
                (e: unknown) => setError(errorText(e)),
              );
            }}
          >
            Delete card
          </button>
          {error !== '' && (
            <p className="fail" role="alert">
              {error}
            </p>
          )}
        </section>
        <div className="stack">
          <RunStarter cardId={cardId} />
          <RunHistory runs={runs.items} onRefresh={runs.reload} pages={runs} />
          <CardVersions key={current.updated_at} cardId={cardId} />
        </div>
      </div>
      <TestCaseTable
        cardId={cardId}
        variables={current.variables}
        cases={cases.items}
        pages={cases}
        loadAll={() => loadAllTestCases(cardId)}
        types={types.data?.items ?? []}
        onChanged={() => {
          reloadCases();
          card.reload();
        }}
      />
    </div>
  );
}
