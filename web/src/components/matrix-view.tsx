/**
 * The prompt × model matrix: a row per test case (with its variables), a column per model (per
 * run and model when two runs are compared), each cell the output with its verdict and score.
 * Rows are virtualised (TanStack Virtual), so 10,000 test cases cost a screenful of DOM; each
 * cell is a button, so Tab walks the visible cells and Enter opens the result's detail.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { TestCase } from '../api/types';
import { nearEnd } from '../lib/end-reached';
import type { CellVerdict, MatrixColumn, MatrixRow } from '../lib/matrix';

const ROW_HEIGHT = 88;

function verdictText(verdict: CellVerdict): string {
  return verdict === 'not_judged' ? 'not judged' : verdict;
}

function verdictCss(verdict: CellVerdict): string {
  if (verdict === 'passed') return 'pass';
  return verdict === 'not_judged' || verdict === 'mixed' ? 'muted' : 'fail';
}

function variablesText(testCase: TestCase | undefined): string {
  if (testCase === undefined) return '';
  return Object.entries(testCase.input_variables)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' · ');
}

export function MatrixView(props: {
  columns: readonly MatrixColumn[];
  rows: readonly MatrixRow[];
  cases: ReadonlyMap<string, TestCase>;
  rated: ReadonlySet<string>;
  selected: string | null;
  onSelect: (resultId: string) => void;
  /** Called when the rows drawn reach the end of those held (read the next page). */
  onEndReached?: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const lastDrawn = virtualizer.getVirtualItems().at(-1)?.index;
  const { onEndReached } = props;
  useEffect(() => {
    if (onEndReached !== undefined && nearEnd(lastDrawn, props.rows.length, 20)) onEndReached();
  }, [lastDrawn, props.rows.length, onEndReached]);
  const template = `minmax(150px, 1fr) repeat(${props.columns.length}, minmax(200px, 2fr))`;

  return (
    <div className="matrix-frame">
      <div
        className="matrix"
        role="table"
        aria-label="Results matrix: test cases by model"
        aria-rowcount={props.rows.length + 1}
        aria-colcount={props.columns.length + 1}
        data-testid="matrix"
      >
        <div role="rowgroup">
          <div
            className="matrix-row matrix-head"
            role="row"
            aria-rowindex={1}
            style={{ gridTemplateColumns: template }}
          >
            <span role="columnheader">Test case</span>
            {props.columns.map((c) => (
              <span role="columnheader" key={c.key} title={c.label}>
                {c.label}
              </span>
            ))}
          </div>
        </div>
        <div
          ref={scroller}
          className="matrix-scroll"
          role="rowgroup"
          tabIndex={0}
          aria-label="Rows"
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = props.rows[item.index];
              const testCase = props.cases.get(row.testCaseId);
              return (
                <div
                  key={row.testCaseId}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className="matrix-row"
                  data-testid="matrix-row"
                  style={{
                    gridTemplateColumns: template,
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  <span role="rowheader" className="matrix-case">
                    <strong>{testCase?.name ?? row.testCaseId.slice(0, 8)}</strong>
                    <span className="small-text muted">{variablesText(testCase)}</span>
                  </span>
                  {props.columns.map((column) => {
                    const cell = row.cells.get(column.key);
                    if (cell === undefined)
                      return (
                        <span role="cell" key={column.key} className="muted">
                          –
                        </span>
                      );
                    const first = cell.results[0];
                    const passed = cell.results.filter((r) => r.passed).length;
                    const isSelected = cell.results.some((r) => r.id === props.selected);
                    const rated = cell.results.some((r) => props.rated.has(r.id));
                    return (
                      <span role="cell" key={column.key}>
                        <button
                          type="button"
                          className={`matrix-cell ${isSelected ? 'selected' : ''}`}
                          aria-pressed={isSelected}
                          onClick={() => props.onSelect(first.id)}
                        >
                          {/* The name starts with where the cell is; the visible text follows. */}
                          <span className="visually-hidden">
                            {testCase?.name ?? 'test case'} on {column.label}:{' '}
                          </span>
                          <span className="matrix-verdict">
                            <span className={verdictCss(cell.verdict)}>
                              {verdictText(cell.verdict)}
                            </span>
                            {cell.results.length > 1 && (
                              <span className="muted">
                                {' '}
                                {passed}/{cell.results.length}
                              </span>
                            )}
                            <span className="muted"> · {first.score.toFixed(2)}</span>
                            {rated && <span className="tag">rated</span>}
                          </span>
                          <span className="matrix-output">
                            {first.error?.message ?? first.output ?? ''}
                          </span>
                        </button>
                      </span>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
