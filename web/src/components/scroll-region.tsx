/**
 * A wide table's frame: it scrolls sideways inside its panel on a narrow screen instead of
 * widening the page, and is focusable (with a name) so the keyboard can scroll it too
 * (axe: scrollable-region-focusable).
 */
import type { ReactNode } from 'react';

export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // Focusable: what WCAG 2.1.1 asks of a scrolling area without focusable content.
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
