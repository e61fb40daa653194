/**
 * Prompt versions with the server's diff (`GET /api/prompt-cards/:id/versions/:from/diff/:to`:
 * one implementation, bounded on the server), where the server keeps versions; a server without
 * the route (404 PCS_ERR_HTTP_ROUTE_NOT_FOUND) gets a plain note instead. The diff reads from the
 * old version (`From`, removed lines) to the new one (`To`, added lines).
 */
import { useState } from 'react';
import { isMissingRoute } from '../api/client';
import { coarseNote, defaultDiffPair, type VersionDiff } from '../lib/version-pair';
import { errorText, useApi } from '../use-api';

interface Version {
  version: number;
  created_at?: string;
  author?: string | null;
}

export function CardVersions({ cardId }: { cardId: string }) {
  const versions = useApi<{ items: Version[] }>(`/api/prompt-cards/${cardId}/versions`);
  const [chosen, setChosen] = useState<[number, number] | null>(null);
  const items = versions.data?.items ?? [];
  const pair = chosen ?? defaultDiffPair(items.map((v) => v.version));
  const diff = useApi<VersionDiff>(
    pair === null ? null : `/api/prompt-cards/${cardId}/versions/${pair[0]}/diff/${pair[1]}`,
  );
  if (versions.error !== undefined)
    return (
      <p className="muted small-text" data-testid="versions-note">
        {isMissingRoute(versions.error)
          ? 'Prompt versions: this server does not keep versions yet.'
          : `Prompt versions: ${errorText(versions.error)}`}
      </p>
    );
  if (pair === null) return null;
  const [from, to] = pair;
  const note = diff.data === undefined ? null : coarseNote(diff.data);
  return (
    <section className="panel" aria-labelledby="versions-title">
      <h2 id="versions-title">Prompt versions ({items.length})</h2>
      <div className="inline-fields">
        {(['From', 'To'] as const).map((label, side) => (
          <label key={label}>
            {label}
            <select
              value={side === 0 ? from : to}
              onChange={(e) => {
                const picked = Number(e.target.value);
                setChosen(side === 0 ? [picked, to] : [from, picked]);
              }}
            >
              {items.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}{' '}
                  {v.created_at === undefined ? '' : new Date(v.created_at).toLocaleString()}
                  {v.author == null ? '' : ` · ${v.author}`}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {diff.error !== undefined && (
        <p className="muted small-text">Diff: {errorText(diff.error)}</p>
      )}
      {note !== null && <p className="muted small-text">{note}</p>}
      <pre className="diff" role="figure" aria-label="Template diff">
        {(diff.data?.lines ?? []).map((line, i) => (
          <div
            key={i}
            className={`diff-${line.op === 'add' ? 'added' : line.op === 'remove' ? 'removed' : 'same'}`}
          >
            {line.op === 'add' ? '+ ' : line.op === 'remove' ? '- ' : '  '}
            {line.text}
          </div>
        ))}
      </pre>
    </section>
  );
}
