/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser: they need the DOM types.
/**
 * The checks every web page passes in Chromium: no horizontal page scroll at the viewport's
 * width, and no critical or serious axe-core violation. Each problem comes back as a line
 * naming the page and width; a screenshot of the page goes to `shotPath`.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { REQUIRE_SYSTEM } from '../../support/system.js';

/** The browser the web suites drive (Debian's `chromium`, or CHROMIUM_PATH). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the web suites skip (Chromium missing), or undefined; throws under REQUIRE_SYSTEM. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const message = `${CHROMIUM} not found (Debian package chromium)`;
  if (REQUIRE_SYSTEM) throw new Error(`${message} (REQUIRE_SYSTEM=1)`);
  return message;
}

/** A free port on 127.0.0.1 for a server the suite starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

// axe-core's browser build, injected into each page (the package's own entry is that file).
const AXE = require.resolve('axe-core/axe.min.js');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export async function pageProblems(page: Page, name: string, shotPath: string): Promise<string[]> {
  const width = page.viewportSize()?.width ?? 0;
  const problems: string[] = [];
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  if (overflow > 0) problems.push(`${name} at ${width} px: ${overflow} px too wide`);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<Json> } }).axe;
    const result = await axe.run(document);
    return (result.violations as Json[])
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target}`);
  });
  for (const v of violations) problems.push(`${name} at ${width} px: axe ${v}`);
  await page.screenshot({ path: shotPath, fullPage: true });
  return problems;
}
