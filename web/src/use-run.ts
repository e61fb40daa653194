/**
 * Follows one run: its stored results over HTTP pages, then live events over the WebSocket while
 * it is queued or running (or, where no WebSocket can be had, HTTP polling once a second). Renders are coalesced to one per animation frame, so a burst of
 * results costs one render, not one per event.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, apiKey } from './api/client';
import type { Page, Run, RunResult } from './api/types';
import { followRun, socketUrl } from './lib/run-socket';
import { RunTracker } from './lib/run-tracker';

export interface RunView {
  tracker: RunTracker;
  version: number;
  connection: 'open' | 'reconnecting' | 'polling' | 'idle';
  error: unknown;
  /** After cancel/resume: read the run again and follow it if active. */
  refresh: (run?: Run) => void;
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
    const tracker = trackerRef.current;
    api<Run>(`/api/runs/${runId}`)
      .then(async (run) => {
        if (!live) return;
        tracker.apply({ type: 'subscribed', run_id: runId, run });
        schedule();
        if (tracker.isActive()) {
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
          await loadResults(tracker, () => live);
          schedule();
        }
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
      socket?.close();
      setConnection('idle');
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

  return { tracker: trackerRef.current, version, connection, error, refresh };
}
