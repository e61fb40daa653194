/** A card's online evaluation rules: the list with delete, and the form for a new one. */
import { useState } from 'react';
import { api } from '../api/client';
import type { OnlineEvaluationRule } from '../api/generated';
import type { AssertionType } from '../api/types';
import { errorText, useApi } from '../use-api';
import { OnlineRuleForm } from './online-rule-form';

function describeSelector(rule: OnlineEvaluationRule): string {
  const parts = [
    rule.service_name === null ? 'any service' : `service ${rule.service_name}`,
    rule.model === null ? 'any model' : `model ${rule.model}`,
  ];
  if (rule.require_card_attribute) parts.push('prompt_card.id = this card');
  return parts.join(', ');
}

export function OnlineRules({
  cardId,
  variables,
  types,
}: {
  cardId: string;
  variables: readonly string[];
  types: readonly AssertionType[];
}) {
  const rules = useApi<{ items: OnlineEvaluationRule[] }>(
    `/api/prompt-cards/${cardId}/online-rules`,
  );
  const [error, setError] = useState('');
  const items = rules.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="rules-title">
      <h2 id="rules-title">Online rules</h2>
      {rules.error !== undefined && <p className="fail">{errorText(rules.error)}</p>}
      {items.length === 0 ? (
        <p className="muted">No rule: no production span is evaluated against this card.</p>
      ) : (
        <ul className="online-rules">
          {items.map((rule) => (
            <li key={rule.id} data-testid="online-rule">
              <span>{describeSelector(rule)}</span>
              <span>sample {Math.round(rule.sample_rate * 10000) / 100} %</span>
              <span>
                {rule.assertions === null
                  ? 'test-case assertions'
                  : rule.assertions.map((a) => a.type).join(', ')}
              </span>
              {Object.keys(rule.variables).length > 0 && (
                <span className="mono small-text">
                  {Object.entries(rule.variables)
                    .map(([k, v]) => `${k} ← ${v}`)
                    .join('; ')}
                </span>
              )}
              <button
                type="button"
                className="danger edit-control"
                onClick={() => {
                  if (!window.confirm('Delete this rule and its verdicts?')) return;
                  api(`/api/prompt-cards/${cardId}/online-rules/${rule.id}`, {
                    method: 'DELETE',
                  }).then(rules.reload, (e: unknown) => setError(errorText(e)));
                }}
              >
                Delete rule
              </button>
            </li>
          ))}
        </ul>
      )}
      {error !== '' && (
        <p className="fail" role="alert">
          {error}
        </p>
      )}
      <OnlineRuleForm
        cardId={cardId}
        variables={variables}
        types={types}
        onCreated={rules.reload}
      />
    </section>
  );
}
