/** Edits a test case's assertions: kind from /api/assertion-types, value editor per kind. */
import { useState } from 'react';
import type { AssertionSpec, AssertionType } from '../api/types';
import { formatValue, parseValue, valueEditor } from '../lib/assertion-value';

export interface AssertionDraft {
  type: string;
  text: string;
  threshold: string;
  weight: string;
}

export function toDrafts(assertions: readonly AssertionSpec[]): AssertionDraft[] {
  return assertions.map((a) => ({
    type: a.type,
    text: formatValue(a.type, a.value),
    threshold: a.threshold?.toString() ?? '',
    weight: a.weight?.toString() ?? '',
  }));
}

/** Specs from drafts, or the first problem found with its row (0-based). */
export function fromDrafts(
  drafts: readonly AssertionDraft[],
): { specs: AssertionSpec[] } | { row: number; error: string } {
  const specs: AssertionSpec[] = [];
  for (const [row, draft] of drafts.entries()) {
    const parsed = parseValue(draft.type, draft.text);
    if (parsed.error !== undefined) return { row, error: parsed.error };
    const spec: AssertionSpec = { type: draft.type };
    if ('value' in parsed) spec.value = parsed.value;
    if (draft.threshold.trim() !== '') spec.threshold = Number(draft.threshold);
    if (draft.weight.trim() !== '') spec.weight = Number(draft.weight);
    specs.push(spec);
  }
  return { specs };
}

export function AssertionEditor({
  drafts,
  onChange,
  types,
  errors,
}: {
  drafts: AssertionDraft[];
  onChange: (d: AssertionDraft[]) => void;
  types: readonly AssertionType[];
  errors: Record<string, string>;
}) {
  const [newType, setNewType] = useState('icontains');
  const update = (index: number, patch: Partial<AssertionDraft>) =>
    onChange(drafts.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  return (
    <fieldset className="assertions">
      <legend>Assertions</legend>
      {drafts.map((draft, index) => {
        const editor = valueEditor(draft.type);
        const error = errors[`assertions.${index}`] ?? errors[`assertions.${index}.value`];
        return (
          <div key={index} className="assertion-row">
            <span className="tag">{draft.type}</span>
            {editor !== 'none' && (
              <label>
                {editor === 'range'
                  ? 'Length min..max'
                  : editor === 'number'
                    ? draft.type === 'cost'
                      ? 'Max USD'
                      : 'Max ms'
                    : 'Value'}
                {editor === 'json' ? (
                  <textarea
                    rows={3}
                    className="mono"
                    value={draft.text}
                    onChange={(e) => update(index, { text: e.target.value })}
                    aria-invalid={error !== undefined}
                  />
                ) : (
                  <input
                    value={draft.text}
                    onChange={(e) => update(index, { text: e.target.value })}
                    aria-invalid={error !== undefined}
                  />
                )}
              </label>
            )}
            <label>
              Threshold
              <input
                className="small"
                inputMode="decimal"
                value={draft.threshold}
                onChange={(e) => update(index, { threshold: e.target.value })}
              />
            </label>
            <label>
              Weight
              <input
                className="small"
                inputMode="decimal"
                value={draft.weight}
                onChange={(e) => update(index, { weight: e.target.value })}
              />
            </label>
            <button
              type="button"
              className="link"
              onClick={() => onChange(drafts.filter((_, i) => i !== index))}
              aria-label={`Remove assertion ${index + 1}`}
            >
              Remove
            </button>
            {error !== undefined && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
          </div>
        );
      })}
      <div className="assertion-add">
        <label>
          Kind
          <select value={newType} onChange={(e) => setNewType(e.target.value)}>
            {types.map((t) => (
              <option key={t.type} value={t.type} title={t.description}>
                {t.type}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() =>
            onChange([...drafts, { type: newType, text: '', threshold: '', weight: '' }])
          }
        >
          Add assertion
        </button>
      </div>
    </fieldset>
  );
}
