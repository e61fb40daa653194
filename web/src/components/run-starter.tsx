/** Starts a run: models from /api/models (unreachable providers shown, simulated ones marked). */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { ProviderModels, Run } from '../api/types';
import { routeHref } from '../lib/hash-route';
import { runnableModels } from '../lib/run-models';
import { errorText, useApi } from '../use-api';
import { Field } from './field';

export function RunStarter({ cardId }: { cardId: string }) {
  const models = useApi<{ providers: ProviderModels[] }>('/api/models');
  const [chosen, setChosen] = useState<string[]>([]);
  const [concurrency, setConcurrency] = useState('4');
  const [repeat, setRepeat] = useState('1');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const run = await api<Run>(`/api/prompt-cards/${cardId}/runs`, {
        method: 'POST',
        body: { models: chosen, concurrency: Number(concurrency), repeat: Number(repeat) },
      });
      window.location.hash = routeHref({ page: 'run', runId: run.id });
    } catch (error) {
      setErrors(error instanceof ApiError ? error.fieldMessages() : {});
      setMessage(errorText(error));
    }
  };
  const toggle = (id: string) =>
    setChosen((c) => (c.includes(id) ? c.filter((m) => m !== id) : [...c, id]));

  return (
    <section className="panel edit-control" aria-labelledby="run-title">
      <h2 id="run-title">Run</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="models" aria-describedby="models-error">
          <legend>Models</legend>
          {models.loading && <p className="muted">Asking the providers…</p>}
          {models.data?.providers.map((provider) => (
            <div key={provider.provider} className="provider">
              <strong>{provider.provider}</strong>{' '}
              {provider.simulated && <span className="tag simulated">simulated</span>}
              {provider.error !== undefined && (
                <span className="fail"> unreachable: {provider.error.message}</span>
              )}
              {/* Helper models (the simulated grader and embedder) are not offered. */}
              {runnableModels(provider.provider, provider.models).map((id) => {
                return (
                  <label key={id} className="check">
                    <input
                      type="checkbox"
                      checked={chosen.includes(id)}
                      onChange={() => toggle(id)}
                    />
                    {id}
                  </label>
                );
              })}
            </div>
          ))}
          {errors.models !== undefined && (
            <p id="models-error" className="field-error" role="alert">
              {errors.models}
            </p>
          )}
        </fieldset>
        <div className="inline-fields">
          <Field label="Concurrency" error={errors.concurrency}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="number"
                min={1}
                value={concurrency}
                onChange={(e) => setConcurrency(e.target.value)}
              />
            )}
          </Field>
          <Field label="Repeat" error={errors.repeat}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="number"
                min={1}
                value={repeat}
                onChange={(e) => setRepeat(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="actions">
          <button type="submit">Start run</button>
          <span role="status" className="fail">
            {message}
          </span>
        </div>
      </form>
    </section>
  );
}
