/** Create or edit a card; the variables are derived from the template as it is typed. */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Card, CardInput } from '../api/types';
import { deriveVariables, parseTags } from '../lib/variables';
import { errorText } from '../use-api';
import { Field } from './field';

export function CardForm({
  card,
  onSave,
  submitLabel,
}: {
  card?: Card;
  onSave: (input: CardInput) => Promise<void>;
  submitLabel: string;
}) {
  const [title, setTitle] = useState(card?.title ?? '');
  const [description, setDescription] = useState(card?.description ?? '');
  const [template, setTemplate] = useState(card?.prompt_template ?? '');
  const [tags, setTags] = useState(card?.tags.join(', ') ?? '');
  const [threshold, setThreshold] = useState(card?.pass_rate_threshold?.toString() ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const variables = deriveVariables(template);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setMessage('');
    try {
      await onSave({
        title,
        description,
        prompt_template: template,
        tags: parseTags(tags),
        pass_rate_threshold: threshold.trim() === '' ? null : Number(threshold),
      });
      setErrors({});
      setMessage('Saved');
    } catch (error) {
      setErrors(error instanceof ApiError ? error.fieldMessages() : {});
      setMessage(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field label="Title" error={errors.title}>
        {(id, d) => (
          <input
            id={id}
            aria-describedby={d}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field label="Description" error={errors.description}>
        {(id, d) => (
          <textarea
            id={id}
            aria-describedby={d}
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <Field label="Prompt template" error={errors.prompt_template}>
        {(id, d) => (
          <textarea
            id={id}
            aria-describedby={d}
            rows={5}
            className="mono"
            value={template}
            onChange={(e) => setTemplate(e.target.value)}
          />
        )}
      </Field>
      <p className="variables" aria-live="polite">
        Variables:{' '}
        {variables.length === 0 ? (
          <em>none</em>
        ) : (
          variables.map((v) => (
            <code key={v} className="tag">
              {v}
            </code>
          ))
        )}
      </p>
      <Field
        label="Tags (comma-separated; the first is the prompt type)"
        error={errors.tags ?? errors['tags.0']}
      >
        {(id, d) => (
          <input
            id={id}
            aria-describedby={d}
            value={tags}
            onChange={(e) => setTags(e.target.value)}
          />
        )}
      </Field>
      <Field label="Pass-rate threshold (0–1, empty for none)" error={errors.pass_rate_threshold}>
        {(id, d) => (
          <input
            id={id}
            aria-describedby={d}
            inputMode="decimal"
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="edit-control" disabled={saving}>
          {submitLabel}
        </button>
        <span role="status" className={Object.keys(errors).length > 0 ? 'fail' : 'muted'}>
          {message}
        </span>
      </div>
    </form>
  );
}
