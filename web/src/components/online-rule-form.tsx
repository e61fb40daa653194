/**
 * A new online rule of a card: which spans (service, model, the `prompt_card.id` attribute),
 * how many (sample rate), which assertions (the test cases' or its own), and where each card
 * variable comes from (input, output or a span attribute). The API's 422 is shown at its field.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { OnlineEvaluationRuleInput } from '../api/generated';
import type { AssertionType } from '../api/types';
import { errorText } from '../use-api';
import { AssertionEditor, fromDrafts, type AssertionDraft } from './assertion-editor';
import { Field } from './field';

type Source = '' | 'input' | 'output' | 'attribute';

/** A number when the text is one; otherwise the text, for the API to name the field. */
function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

export function OnlineRuleForm({
  cardId,
  variables,
  types,
  onCreated,
}: {
  cardId: string;
  variables: readonly string[];
  types: readonly AssertionType[];
  onCreated: () => void;
}) {
  const [service, setService] = useState('');
  const [model, setModel] = useState('');
  const [requireAttribute, setRequireAttribute] = useState(true);
  const [sampleRate, setSampleRate] = useState('1');
  const [ownAssertions, setOwnAssertions] = useState(false);
  const [drafts, setDrafts] = useState<AssertionDraft[]>([]);
  const [sources, setSources] = useState<Record<string, Source>>({});
  const [keys, setKeys] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const mapping: Record<string, string> = {};
    for (const name of variables) {
      const source = sources[name] ?? '';
      if (source === 'attribute') mapping[name] = `attribute:${keys[name] ?? ''}`;
      else if (source !== '') mapping[name] = source;
    }
    let assertions: OnlineEvaluationRuleInput['assertions'] = null;
    if (ownAssertions) {
      const parsed = fromDrafts(drafts);
      if ('error' in parsed) {
        setErrors({ [`assertions.${parsed.row}`]: parsed.error });
        return;
      }
      assertions = parsed.specs;
    }
    const body = {
      service_name: service.trim() === '' ? null : service.trim(),
      model: model.trim() === '' ? null : model.trim(),
      require_card_attribute: requireAttribute,
      sample_rate: numberOrText(sampleRate),
      assertions,
      variables: mapping,
    };
    setBusy(true);
    try {
      await api(`/api/prompt-cards/${cardId}/online-rules`, { method: 'POST', body });
      setErrors({});
      setService('');
      setModel('');
      setSampleRate('1');
      setDrafts([]);
      setSources({});
      setKeys({});
      onCreated();
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldMessages() : {};
      setErrors(Object.keys(fields).length > 0 ? fields : { '': errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="online-rule-form edit-control" onSubmit={(e) => void submit(e)} noValidate>
      <h3>New rule</h3>
      <Field label="Service name (resource service.name; empty: any)" error={errors.service_name}>
        {(id, describedBy) => (
          <input
            id={id}
            value={service}
            onChange={(e) => setService(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={describedBy !== undefined}
          />
        )}
      </Field>
      <Field label="Model (response or request model; empty: any)" error={errors.model}>
        {(id, describedBy) => (
          <input
            id={id}
            value={model}
            onChange={(e) => setModel(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={describedBy !== undefined}
          />
        )}
      </Field>
      <label className="check">
        <input
          type="checkbox"
          checked={requireAttribute}
          onChange={(e) => setRequireAttribute(e.target.checked)}
        />{' '}
        Only spans whose <code>prompt_card.id</code> attribute is this card
      </label>
      <Field label="Sample rate (0–1)" error={errors.sample_rate}>
        {(id, describedBy) => (
          <input
            id={id}
            className="small"
            inputMode="decimal"
            value={sampleRate}
            onChange={(e) => setSampleRate(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={describedBy !== undefined}
          />
        )}
      </Field>
      <fieldset>
        <legend>Assertions</legend>
        <label className="check">
          <input
            type="radio"
            name="assertion-source"
            checked={!ownAssertions}
            onChange={() => setOwnAssertions(false)}
          />{' '}
          The card’s test-case assertions
        </label>
        <label className="check">
          <input
            type="radio"
            name="assertion-source"
            checked={ownAssertions}
            onChange={() => setOwnAssertions(true)}
          />{' '}
          These assertions
        </label>
        {ownAssertions && (
          <AssertionEditor drafts={drafts} onChange={setDrafts} types={types} errors={errors} />
        )}
        {errors.assertions !== undefined && (
          <p className="field-error" role="alert">
            {errors.assertions}
          </p>
        )}
      </fieldset>
      {variables.length > 0 && (
        <fieldset>
          <legend>Variables from the span</legend>
          {variables.map((name) => (
            <Field key={name} label={`{{${name}}}`} error={errors[`variables.${name}`]}>
              {(id, describedBy) => (
                <span className="variable-source">
                  <select
                    id={id}
                    value={sources[name] ?? ''}
                    onChange={(e) => setSources({ ...sources, [name]: e.target.value as Source })}
                    aria-describedby={describedBy}
                    aria-invalid={describedBy !== undefined}
                  >
                    <option value="">not mapped</option>
                    <option value="input">span input</option>
                    <option value="output">span output</option>
                    <option value="attribute">span attribute…</option>
                  </select>
                  {sources[name] === 'attribute' && (
                    <input
                      aria-label={`Attribute key for ${name}`}
                      value={keys[name] ?? ''}
                      onChange={(e) => setKeys({ ...keys, [name]: e.target.value })}
                      aria-invalid={describedBy !== undefined}
                    />
                  )}
                </span>
              )}
            </Field>
          ))}
        </fieldset>
      )}
      {errors[''] !== undefined && (
        <p className="fail" role="alert">
          {errors['']}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Add rule
      </button>
    </form>
  );
}
