/**
 * `npx tsx scripts/nab-held-out.ts --repo <NAB checkout> --dev <development split> --out <dir>`:
 * builds the held-out NAB split from a checkout of https://github.com/numenta/NAB (commit
 * ea702d75cc2258d9d7dd35ca8e5e2539d71f3140): every file of the five real-world categories the
 * development split does not hold, with its windows from `labels/combined_windows.json`, laid
 * out as the development split is (`<out>/labels.json`, `<out>/data/<category>/<file>.csv`).
 * Score it with `npm run eval:analytics -- --nab <out>` — once, with the settings fixed on the
 * development split; choosing anything on it makes it a development split.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const CATEGORIES = [
  'realAWSCloudwatch',
  'realKnownCause',
  'realTraffic',
  'realAdExchange',
  'realTweets',
];

const { values } = parseArgs({
  options: { repo: { type: 'string' }, dev: { type: 'string' }, out: { type: 'string' } },
});
if (values.repo === undefined || values.dev === undefined || values.out === undefined) {
  process.stderr.write('usage: tsx scripts/nab-held-out.ts --repo <NAB> --dev <dir> --out <dir>\n');
  process.exit(2);
}
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const all = read(join(values.repo, 'labels', 'combined_windows.json'));
const development = new Set(Object.keys(read(join(values.dev, 'labels.json'))));
const heldOut: Record<string, unknown> = {};
for (const [name, windows] of Object.entries(all)) {
  if (!CATEGORIES.includes(name.split('/')[0] ?? '') || development.has(name)) continue;
  heldOut[name] = windows;
  const target = join(values.out, 'data', name);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(values.repo, 'data', name), target);
}
writeFileSync(join(values.out, 'labels.json'), `${JSON.stringify(heldOut, null, 1)}\n`);
process.stdout.write(`${Object.keys(heldOut).length} held-out files in ${values.out}\n`);
