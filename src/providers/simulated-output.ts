/**
 * What the simulated model "answers": a deterministic function of the prompt, shaped like a
 * plausible answer (a label when the prompt lists labels, JSON when it asks for JSON, prose
 * otherwise). It is a stand-in for demos, load tests and CI, not a language model.
 */
import { pick, type Random } from './prng.js';
import { words } from './hashed-embedding.js';

const OPENERS = [
  'Sorry to hear about this.',
  'Thanks for reaching out.',
  'Here is a short answer.',
  'Understood.',
  'Happy to help.',
];

/** The last paragraph of the prompt: usually the input the template filled in. */
function inputPart(prompt: string): string {
  const paragraphs = prompt
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return paragraphs.at(-1) ?? prompt;
}

function sentences(text: string, max: number): string {
  const parts = text.match(/[^.!?]+[.!?]*/g) ?? [text];
  return parts.slice(0, max).join(' ').trim();
}

function jsonAnswer(prompt: string, random: Random): string {
  const keys = [
    ...new Set([...prompt.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)"\s*:/g)].map((m) => m[1] ?? '')),
  ].filter((k) => k !== '');
  const input = inputPart(prompt);
  const vocabulary = words(input);
  const numbers = input.match(/\d+/g) ?? [];
  const object: Record<string, string | number> = {};
  for (const key of keys.length > 0 ? keys : ['answer']) {
    object[key] =
      random() < 0.3 && numbers.length > 0
        ? Number(pick(random, numbers))
        : vocabulary.length > 0
          ? pick(random, vocabulary)
          : 'n/a';
  }
  const json = JSON.stringify(object);
  // Real models often fence JSON even when told not to.
  return random() < 0.25 ? `\`\`\`json\n${json}\n\`\`\`` : json;
}

export function simulatedAnswer(prompt: string, random: Random): string {
  const labels = [...new Set(prompt.match(/\b[A-Z]{1,3}\d\b/g) ?? [])];
  if (labels.length >= 2 && /\blabel\b/i.test(prompt)) return pick(random, labels);
  if (/\bjson\b/i.test(prompt)) return jsonAnswer(prompt, random);
  return `${pick(random, OPENERS)} ${sentences(inputPart(prompt), 2)}`.slice(0, 600);
}

/**
 * The simulated grader of `select-best` (a prompt listing `<Text index="i">` blocks): the
 * index of the text sharing the most words of `<criteria>` (the first on a tie). Without
 * criteria words it answers no index, which fails every output (never a pick by default).
 */
function simulatedSelectBest(prompt: string): string {
  const criteria = /<criteria>([\s\S]*?)<\/criteria>/.exec(prompt)?.[1] ?? '';
  const wanted = new Set(words(criteria).filter((w) => w.length > 3));
  if (wanted.size === 0)
    return 'simulated grader: no criteria words between <criteria> and </criteria> in the grader prompt';
  const texts = [...prompt.matchAll(/<Text index="(\d+)">([\s\S]*?)<\/Text>/g)];
  let best = { index: texts[0]?.[1] ?? '0', shared: -1 };
  for (const [, index = '0', text = ''] of texts) {
    const seen = new Set(words(text));
    const shared = [...wanted].filter((w) => seen.has(w)).length;
    if (shared > best.shared) best = { index, shared };
  }
  return best.index;
}

/** The simulated grader: word overlap between rubric and output, as the grader JSON answer. */
export function simulatedGrade(prompt: string): string {
  if (/<Text index="\d+">/.test(prompt)) return simulatedSelectBest(prompt);
  const rubric = /<rubric>([\s\S]*?)<\/rubric>/.exec(prompt)?.[1] ?? '';
  const output = /<output>([\s\S]*?)<\/output>/.exec(prompt)?.[1] ?? '';
  const rubricWords = new Set(words(rubric).filter((w) => w.length > 3));
  // No rubric to compare (a custom rubricPrompt without the <rubric> and <output> tags this
  // grader reads): an explicit fail, never a pass by default.
  if (rubricWords.size === 0)
    return JSON.stringify({
      pass: false,
      score: 0,
      reason:
        'simulated grader: no rubric words between <rubric> and </rubric> in the grader prompt (a custom rubricPrompt must wrap the rubric in <rubric>…</rubric> and the answer in <output>…</output> for this grader)',
    });
  const outputWords = new Set(words(output));
  const shared = [...rubricWords].filter((w) => outputWords.has(w));
  const score = shared.length / rubricWords.size;
  return JSON.stringify({
    score: Math.round(score * 100) / 100,
    reason: `simulated grader: ${shared.length} of ${rubricWords.size} rubric words found in the output`,
  });
}

/** A rough token count (about four characters per token), used only by the simulator. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
