/**
 * View state in the URL fragment's query (lib/url-state.ts): read on mount and on every
 * hashchange (a reload, a shared link or an edited address restores it), written back on every
 * change without a new history entry.
 */
import { useCallback, useEffect, useState } from 'react';
import { hashParams, writeHashParams } from './lib/url-state';

export function useHashState<K extends string>(
  defaults: Readonly<Record<K, string>>,
): [Readonly<Record<K, string>>, (changes: Partial<Record<K, string>>) => void] {
  const read = useCallback((): Record<K, string> => {
    const params = hashParams(window.location.hash);
    const values: Record<K, string> = { ...defaults };
    for (const key of Object.keys(defaults) as K[]) {
      const value = params.get(key);
      if (value !== null) values[key] = value;
    }
    return values;
    // `defaults` is a constant of the calling page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const [state, setState] = useState<Record<K, string>>(read);
  // A link or an edited address on the same page changes only the fragment: read it again.
  useEffect(() => {
    const update = () => setState(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, [read]);
  const update = useCallback(
    (changes: Partial<Record<K, string>>) => {
      setState((current) => {
        const next = { ...current, ...changes };
        writeHashParams(next, defaults);
        return next;
      });
    },
    // `defaults` is a constant of the calling page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  return [state, update];
}
