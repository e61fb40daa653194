/**
 * A list of the API in React, one keyset page at a time: the first page is drawn as soon as it
 * arrives; `more()` reads the next (from a "load more" sentinel or button), `all()` every page
 * left; `reload()` starts again from the first page.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from './api/client';
import type { Page } from './api/types';
import { PagedList, withAfter, type PagedState } from './lib/paged-list';

export interface Paged<T> extends PagedState {
  /** Items held, a new array after each page. */
  items: readonly T[];
  error: unknown;
  more: () => void;
  all: () => void;
  reload: () => void;
}

const EMPTY: PagedState = { loaded: 0, total: null, loading: true, complete: false, pages: 0 };

/** `path` (with its `limit`, without `after`), or null to read nothing yet. */
export function usePaged<T>(path: string | null): Paged<T> {
  const [list, setList] = useState<PagedList<T> | undefined>(undefined);
  const [view, setView] = useState<{ items: readonly T[]; state: PagedState }>({
    items: [],
    state: EMPTY,
  });
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setError(undefined);
    setView({ items: [], state: EMPTY });
    if (path === null) {
      setList(undefined);
      return;
    }
    const paged: PagedList<T> = new PagedList<T>(
      (after) => api<Page<T>>(withAfter(path, after)),
      () => setView({ items: paged.items.slice(), state: paged.state() }),
    );
    setList(paged);
    paged.more().catch(setError);
    return () => paged.stop();
  }, [path, generation]);

  const settle = useCallback(
    (work: Promise<void> | undefined) => {
      if (work === undefined || list === undefined) return;
      setView({ items: list.items.slice(), state: list.state() });
      work.catch(setError);
    },
    [list],
  );
  const more = useCallback(() => settle(list?.more()), [list, settle]);
  const all = useCallback(() => settle(list?.all()), [list, settle]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { items: view.items, ...view.state, error, more, all, reload };
}
