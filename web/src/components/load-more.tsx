/**
 * The foot of a list read page by page: "Loaded N of M" (announced politely), a "Load more" and
 * a "Load all" button while pages are left, and — with `auto` — a sentinel that reads the next
 * page when it scrolls into view (IntersectionObserver), so a long list grows as it is read.
 */
import { useEffect, useRef } from 'react';

export interface LoadMoreProps {
  /** What is counted ("results", "runs"). */
  noun: string;
  loaded: number;
  total: number | null;
  loading: boolean;
  complete: boolean;
  more: () => void;
  all: () => void;
  /** Read the next page when the foot scrolls into view. */
  auto?: boolean;
}

export function LoadMore(props: LoadMoreProps) {
  const sentinel = useRef<HTMLDivElement>(null);
  const { auto = false, complete, loading, more } = props;

  useEffect(() => {
    const element = sentinel.current;
    if (!auto || complete || loading || element === null) return;
    if (typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) more();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [auto, complete, loading, more]);

  if (props.complete && props.total !== null && props.loaded >= props.total) return null;
  return (
    <div className="load-more" ref={sentinel} data-testid="load-more">
      <span aria-live="polite" className="muted small-text" data-testid="loaded-count">
        Loaded {props.loaded}
        {props.total === null ? '' : ` of ${props.total}`} {props.noun}
        {props.loading ? ' · loading…' : ''}
      </span>
      {!props.complete && (
        <>
          <button type="button" className="secondary" disabled={props.loading} onClick={props.more}>
            Load more
          </button>
          <button type="button" className="secondary" onClick={props.all}>
            Load all
          </button>
        </>
      )}
    </div>
  );
}
