/**
 * Results in a virtualised table (TanStack Virtual): only the rows in view are in the DOM, so
 * thousands of results scroll at the cost of a screenful.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { RunResult } from '../api/types';
import { nearEnd } from '../lib/end-reached';
import { verdictClass, verdictLabel, verdictOf } from '../lib/result-filter';

const ROW_HEIGHT = 32;

export function ResultsTable(props: {
  results: readonly RunResult[];
  names: ReadonlyMap<string, string>;
  selected: string | null;
  onSelect: (id: string) => void;
  /** Called when the rows drawn reach the end of those held (read the next page). */
  onEndReached?: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.results.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const lastDrawn = virtualizer.getVirtualItems().at(-1)?.index;
  const { onEndReached } = props;
  useEffect(() => {
    if (onEndReached !== undefined && nearEnd(lastDrawn, props.results.length, 20)) onEndReached();
  }, [lastDrawn, props.results.length, onEndReached]);
  const items = virtualizer.getVirtualItems();

  return (
    <div
      className="results"
      role="table"
      aria-label="Results"
      aria-rowcount={props.results.length + 1}
    >
      <div className="results-row results-head" role="row" aria-rowindex={1}>
        <span role="columnheader">Test case</span>
        <span role="columnheader">Model</span>
        <span role="columnheader">Verdict</span>
        <span role="columnheader">Score</span>
        <span role="columnheader">Latency</span>
        <span role="columnheader">Output</span>
      </div>
      {/* The scroller is the rowgroup itself: a focusable element without a role between the
          table and its rows fails axe's aria-required-children (a table owns rows and rowgroups
          only); the sizing div inside has no role and no focus, so the rows stay owned. */}
      <div
        ref={scroller}
        className="results-scroll"
        data-testid="results-scroll"
        role="rowgroup"
        tabIndex={0}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const result = props.results[item.index];
            const verdict = verdictOf(result);
            return (
              <div
                key={result.id}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={props.selected === result.id}
                tabIndex={0}
                className={`results-row ${props.selected === result.id ? 'selected' : ''}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
                onClick={() => props.onSelect(result.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    props.onSelect(result.id);
                  }
                }}
              >
                <span role="cell">
                  {props.names.get(result.test_case_id) ?? result.test_case_id.slice(0, 8)}#
                  {result.repetition}
                </span>
                <span role="cell">{result.model}</span>
                <span role="cell" className={verdictClass(verdict)}>
                  {verdictLabel(verdict)}
                </span>
                <span role="cell">{result.score.toFixed(2)}</span>
                <span role="cell">{Math.round(result.latency_ms)} ms</span>
                <span role="cell" className="truncate">
                  {result.error?.message ?? result.output ?? ''}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
