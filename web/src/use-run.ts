/**
 * Follows one run. A finished run's results are read a keyset page at a time: the first page is
 * drawn as soon as it arrives and the next ones when the view asks (`paging.more()` as the list
 * scrolls, `paging.all()`), so opening a 100,000-result run reads one page, not all of them. A
 * queued or running run is followed over the WebSocket (which replays the stored results), or,
 * where no WebSocket can be had, by HTTP polling once a second. Renders are coalesced to one per
 * animation frame, so a burst of results costs one render, not one per event.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, apiKey } from './api/client';
import type { Page, Run, RunResult } from './api/types';
import { PagedList, withAfter, type PagedState } from './lib/paged-list';
import { followRun, socketUrl } from './lib/run-socket';
import { RunTracker } from './lib/run-tracker';

/** Results per page read by the UI (the API's largest page). */
export const RESULTS_PAGE = 500;
/** A run's first page: a screenful and more, so the first rows come as soon as they can. */
export const FIRST_PAGE = 100;

export interface RunPaging {
  state: PagedState;
  /** Reads the next page (no-op while one is being read or when all are held). */
  more: () => void;
  /** Reads every page left. */
  all: () => void;
}

export interface RunView {
  tracker: RunTracker;
  version: number;
  connection: 'open' | 'reconnecting' | 'polling' | 'idle';
  error: unknown;
  /** After cancel/resume: read the run again and follow it if active. */
  refresh: (run?: Run) => void;
  /** A finished run's stored results, page by page; undefined while the run is followed live. */
  paging: RunPaging | undefined;
}

/** Per run: the `after` token of the last full page read (results before it are held). */
const readTo = new WeakMap<RunTracker, string>();

/**
 * Reads the results after the last full page held, following `next` (keyset pages: the end of
 * a 100,000-result run costs what its start does). A partial last page is read again on the
 * next call; the tracker drops the results it already holds.
 */
async function loadResults(tracker: RunTracker, isLive: () => boolean): Promise<void> {
  while (isLive()) {
    const after = readTo.get(tracker);
    const page = await api<Page<RunResult>>(
      `/api/runs/${tracker.runId}/results?limit=500${after === undefined ? '' : `&after=${after}`}`,
    );
    tracker.add(...page.items);
    if (page.next === null) return;
    readTo.set(tracker, page.next);
  }
}

/** Reads the run and the results after those held until it finishes or `isLive` turns false. */
async function pollRun(tracker: RunTracker, isLive: () => boolean, onChange: () => void) {
  while (isLive()) {
    const run = await api<Run>(`/api/runs/${tracker.runId}`);
    await loadResults(tracker, isLive);
    tracker.apply({ type: 'run.started', run_id: run.id, run });
    onChange();
    if (!tracker.isActive()) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export function useRun(runId: string): RunView {
  const trackerRef = useRef<RunTracker>(new RunTracker(runId));
  const [version, setVersion] = useState(0);
  const [connection, setConnection] = useState<RunView['connection']>('idle');
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const frame = useRef<number | undefined>(undefined);
  const [pages, setPages] = useState<{ list: PagedList<RunResult>; state: PagedState }>();

  const schedule = useCallback(() => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      setVersion(trackerRef.current.version);
    });
  }, []);

  useEffect(() => {
    let live = true;
    let socket: { close(): void } | undefined;
    // The first page is asked for beside the run itself (most runs opened are finished, and the
    // run read and the page then cost one round trip, not two); it is used only if the run is
    // finished: a live run's results come over the WebSocket.
    let adopted = false;
    const tracker = trackerRef.current;
    const paged: PagedList<RunResult> = new PagedList<RunResult>(
      (after) =>
        api<Page<RunResult>>(
          withAfter(
            `/api/runs/${encodeURIComponent(runId)}/results?limit=${after === undefined ? FIRST_PAGE : RESULTS_PAGE}`,
            after,
          ),
        ),
      (added) => {
        if (!adopted) return;
        tracker.add(...added);
        setPages({ list: paged, state: paged.state() });
        schedule();
      },
    );
    const first = paged.more();
    first.catch(() => undefined); // read again below if the run is finished
    api<Run>(`/api/runs/${runId}`)
      .then(async (run) => {
        if (!live) return;
        tracker.apply({ type: 'subscribed', run_id: runId, run });
        schedule();
        if (tracker.isActive()) {
          paged.stop();
          socket = followRun({
            url: socketUrl(window.location),
            tracker,
            token: apiKey(),
            onChange: schedule,
            onConnection: (state) => live && setConnection(state),
            onUnavailable: () => {
              if (!live) return;
              setConnection('polling');
              pollRun(tracker, () => live, schedule).catch((e: unknown) => live && setError(e));
            },
          });
        } else {
          // A first page that failed is asked for again (more() after a rejection). The view
          // gets the paging with the page's results, not before (it would ask for a second
          // page to fill an empty list).
          await first.catch(() => paged.more());
          if (!live) return;
          adopted = true;
          tracker.add(...paged.items);
          setPages({ list: paged, state: paged.state() });
          schedule();
        }
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
      paged.stop();
      socket?.close();
      setConnection('idle');
      setPages(undefined);
    };
  }, [runId, generation, schedule]);

  useEffect(
    () => () => {
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const refresh = useCallback((run?: Run) => {
    if (run !== undefined) trackerRef.current.apply({ type: 'run.started', run_id: run.id, run });
    setGeneration((g) => g + 1);
  }, []);

  const list = pages?.list;
  const more = useCallback(() => {
    if (list === undefined) return;
    list.more().catch((e: unknown) => setError(e));
    setPages({ list, state: list.state() });
  }, [list]);
  const all = useCallback(() => {
    if (list === undefined) return;
    list.all().catch((e: unknown) => setError(e));
    setPages({ list, state: list.state() });
  }, [list]);
  const paging = pages === undefined ? undefined : { state: pages.state, more, all };

  return { tracker: trackerRef.current, version, connection, error, refresh, paging };
}
