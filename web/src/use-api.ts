/** Loads one API path into component state; `reload()` fetches again. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api/client';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The error's message; for an API error, each named field with its problem. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError && error.fields.length > 0)
    return error.fields
      .map((f) => `${f.field.replace(/^(body|query)\./, '')} ${f.message}`)
      .join('; ');
  return error instanceof Error ? error.message : String(error);
}
