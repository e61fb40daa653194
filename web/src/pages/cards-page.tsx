/** The card list with search, and a form to create a card. */
import { useState } from 'react';
import { api } from '../api/client';
import type { Card, Page } from '../api/types';
import { CardForm } from '../components/card-form';
import { routeHref } from '../lib/hash-route';
import { errorText, useApi } from '../use-api';

export function CardsPage() {
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const cards = useApi<Page<Card>>(`/api/prompt-cards?limit=100&q=${encodeURIComponent(query)}`);

  return (
    <div className="two-columns">
      <section className="panel" aria-labelledby="cards-title">
        <h1 id="cards-title">Prompt cards</h1>
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
          {cards.data?.items.map((card) => (
            <li key={card.id}>
              <a href={routeHref({ page: 'card', cardId: card.id })}>{card.title}</a>
              <span className="muted"> · {card.test_case_count} test cases</span>
              <div>
                {card.tags.map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
        {cards.data !== undefined && <p className="muted">{cards.data.total} cards</p>}
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
