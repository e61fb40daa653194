/**
 * Prompt versions with a diff, where the server has `GET /api/prompt-cards/:id/versions`; a
 * server without the route (404 PCS_ERR_HTTP_ROUTE_NOT_FOUND) gets a plain note instead.
 */
import { useState } from 'react';
import { isMissingRoute } from '../api/client';
import { templateDiff } from '../lib/template-diff';
import { errorText, useApi } from '../use-api';

interface Version {
  version?: number;
  number?: number;
  created_at?: string;
  prompt_template?: string;
  template?: string;
  author?: string | null;
}

const numberOf = (v: Version, i: number) => v.version ?? v.number ?? i + 1;
const templateOf = (v: Version) => v.prompt_template ?? v.template ?? '';

export function CardVersions({ cardId }: { cardId: string }) {
  const versions = useApi<{ items: Version[] }>(`/api/prompt-cards/${cardId}/versions`);
  const [pair, setPair] = useState<[number, number] | null>(null);
  if (versions.error !== undefined)
    return (
      <p className="muted small-text" data-testid="versions-note">
        {isMissingRoute(versions.error)
          ? 'Prompt versions: this server does not keep versions yet.'
          : `Prompt versions: ${errorText(versions.error)}`}
      </p>
    );
  const items = versions.data?.items ?? [];
  if (items.length === 0) return null;
  const [a, b] = pair ?? [Math.max(0, items.length - 2), items.length - 1];
  const rows = templateDiff(templateOf(items[a]), templateOf(items[b]));
  return (
    <section className="panel" aria-labelledby="versions-title">
      <h2 id="versions-title">Prompt versions ({items.length})</h2>
      <div className="inline-fields">
        {(['From', 'To'] as const).map((label, side) => (
          <label key={label}>
            {label}
            <select
              value={side === 0 ? a : b}
              onChange={(e) =>
                setPair(side === 0 ? [Number(e.target.value), b] : [a, Number(e.target.value)])
              }
            >
              {items.map((v, i) => (
                <option key={i} value={i}>
                  v{numberOf(v, i)}{' '}
                  {v.created_at === undefined ? '' : new Date(v.created_at).toLocaleString()}
                  {v.author == null ? '' : ` · ${v.author}`}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <pre className="diff" aria-label="Template diff">
        {rows.map((row, i) => (
          <div key={i} className={`diff-${row.kind}`}>
            {row.kind === 'added' ? '+ ' : row.kind === 'removed' ? '- ' : '  '}
            {row.text}
          </div>
        ))}
      </pre>
    </section>
  );
}
