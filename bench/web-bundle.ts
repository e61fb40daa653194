/**
 * Size of the built web UI: each file of dist/web/assets raw and gzip-compressed (level 9, what a
 * compressing proxy sends), and what the first page load fetches (the entry script, its CSS
 * and the page) versus what loads only when a chart is first shown.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { machineLine, writeSection } from './bench-report.js';

execFileSync(
  process.execPath,
  [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'web/vite.config.mts',
    '--logLevel',
    'warn',
  ],
  { stdio: 'inherit' },
);

const dir = 'dist/web/assets';
const page = readFileSync('dist/web/index.html', 'utf8');
const rows = readdirSync(dir)
  .filter((name) => !name.endsWith('.map'))
  .map((name) => {
    const bytes = readFileSync(join(dir, name));
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      initial: page.includes(name),
    };
  })
  .sort((a, b) => b.raw - a.raw);
const kb = (n: number) => (n / 1024).toFixed(1);
const sum = (list: typeof rows, key: 'raw' | 'gzip') => list.reduce((s, r) => s + r[key], 0);
const initial = rows.filter((r) => r.initial);
const lazy = rows.filter((r) => !r.initial);

const body = `## Web UI bundle size (\`npm run bench:web-bundle\`)

Production build of \`web/\` (Vite 8, React 19, TanStack Virtual, Recharts, papaparse, jsdiff).
The first load fetches the page, the entry script and its CSS; Recharts is split into a chunk
that loads when a chart is first shown. Sizes in KiB; gzip level 9. Machine: ${machineLine()}.

| file | loaded | raw KiB | gzip KiB |
| ---- | ------ | ------- | -------- |
${rows.map((r) => `| \`${r.name.replace(/-[\w-]{8}\./, '-[hash].')}\` | ${r.initial ? 'first load' : 'on demand'} | ${kb(r.raw)} | ${kb(r.gzip)} |`).join('\n')}
| first load, total | | ${kb(sum(initial, 'raw'))} | ${kb(sum(initial, 'gzip'))} |
| on demand, total | | ${kb(sum(lazy, 'raw'))} | ${kb(sum(lazy, 'gzip'))} |
`;
writeSection('web-bundle', body);
console.log(body);
