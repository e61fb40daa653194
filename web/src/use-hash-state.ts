/**
 * View state in the URL fragment's query (lib/url-state.ts): read once on mount (a reload or a
 * shared link restores it), written back on every change without a new history entry.
 */
import { useCallback, useState } from 'react';
import { hashParams, writeHashParams } from './lib/url-state';

export function useHashState<K extends string>(
  defaults: Readonly<Record<K, string>>,
): [Readonly<Record<K, string>>, (changes: Partial<Record<K, string>>) => void] {
  const [state, setState] = useState<Record<K, string>>(() => {
    const params = hashParams(window.location.hash);
    const read: Record<K, string> = { ...defaults };
    for (const key of Object.keys(defaults) as K[]) {
      const value = params.get(key);
      if (value !== null) read[key] = value;
    }
    return read;
  });
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
