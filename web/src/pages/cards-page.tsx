/**
 * Home: "is my prompt OK?" for every card — latest pass rate per model, the change against the
 * run before, the server's regression verdict, firing alerts and a trend sparkline — sorted by
 * what needs attention; with search and a form to create a card.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Card, Page, Run, RunComparison, StoredAlert } from '../api/types';
import { LoadMore } from '../components/load-more';
import { CardForm } from '../components/card-form';
import { CardStatusRow } from '../components/card-status-row';
import { routeHref } from '../lib/hash-route';
import { attention, cardStatus, type CardStatus } from '../lib/home-status';
import { errorText, useApi } from '../use-api';
import { usePaged } from '../use-paged';

interface Loaded {
  status: CardStatus;
  comparison: RunComparison | undefined;
}

/** The card's last 20 runs and, with two finished, the server's comparison of the last two. */
async function loadStatus(cardId: string): Promise<Loaded> {
  const runs = await api<Page<Run>>(
    `/api/prompt-cards/${encodeURIComponent(cardId)}/runs?limit=20`,
  );
  const status = cardStatus(runs.items);
  const comparison =
    status.latest !== undefined && status.previous !== undefined
      ? await api<RunComparison>(
          `/api/runs/${encodeURIComponent(status.latest.id)}/compare/${encodeURIComponent(status.previous.id)}`,
        ).catch(() => undefined)
      : undefined;
  return { status, comparison };
}

export function CardsPage() {
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const cards = usePaged<Card>(`/api/prompt-cards?limit=100&q=${encodeURIComponent(query)}`);
  const alerts = useApi<{ items: StoredAlert[] }>('/api/alerts');
  const [loaded, setLoaded] = useState<ReadonlyMap<string, Loaded>>(new Map());
  // Cards whose status was asked for: a further page asks only for its own cards.
  const asked = useRef(new Set<string>());

  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    for (const card of cards.items) {
      if (asked.current.has(card.id)) continue;
      asked.current.add(card.id);
      loadStatus(card.id).then(
        (l) => mounted.current && setLoaded((m) => new Map(m).set(card.id, l)),
        () => undefined,
      );
    }
  }, [cards.items]);

  const firingOf = (cardId: string) =>
    (alerts.data?.items ?? []).filter((a) => a.status === 'firing' && a.labels.card_id === cardId);
  const sorted = useMemo(() => {
    const items = [...cards.items];
    const score = (card: Card) => {
      const l = loaded.get(card.id);
      if (l === undefined) return -1;
      const regressed = l.comparison?.models.some((m) => m.verdict === 'regression') ?? false;
      return attention(l.status, firingOf(card.id).length, regressed, card.pass_rate_threshold);
    };
    return items.sort((a, b) => score(b) - score(a) || a.title.localeCompare(b.title));
    // firingOf reads alerts.data, listed below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cards.items, loaded, alerts.data]);

  return (
    <div className="two-columns home">
      <section className="panel" aria-labelledby="cards-title">
        <h1 id="cards-title">Prompt cards</h1>
        <p className="muted small-text">
          Sorted by what needs attention: firing alerts, regressions, pass rates under threshold.
        </p>
        <label className="search">
          Search
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="title or description"
          />
        </label>
        {cards.error !== undefined && <p className="fail">{errorText(cards.error)}</p>}
        <ul className="card-list">
          {sorted.map((card) => (
            <CardStatusRow
              key={card.id}
              card={card}
              status={loaded.get(card.id)?.status}
              comparison={loaded.get(card.id)?.comparison}
              firing={firingOf(card.id)}
            />
          ))}
        </ul>
        {cards.complete && <p className="muted">{cards.total} cards</p>}
        <LoadMore noun="cards" auto {...cards} />
      </section>
      <section className="panel edit-control" aria-labelledby="new-card-title">
        <h2 id="new-card-title">New card</h2>
        {creating ? (
          <CardForm
            submitLabel="Create card"
            onSave={async (input) => {
              const card = await api<Card>('/api/prompt-cards', { method: 'POST', body: input });
              window.location.hash = routeHref({ page: 'card', cardId: card.id });
            }}
          />
        ) : (
          <button type="button" onClick={() => setCreating(true)}>
            New card
          </button>
        )}
      </section>
    </div>
  );
}
