/**
 * What the loopback model answers for the CLI's promptfoo fixture: a sentence naming the
 * capital of the country the prompt mentions, or that answer as JSON when the prompt asks for
 * JSON. The fixture's expected verdicts follow from these answers.
 */
export const CAPITALS: Readonly<Record<string, string>> = {
  France: 'Paris',
  Spain: 'Madrid',
  Italy: 'Rome',
  Germany: 'Berlin',
  Portugal: 'Lisbon',
  Greece: 'Athens',
  Norway: 'Oslo',
};

export function capitalsAnswer(prompt: string): string {
  const country = Object.keys(CAPITALS).find((c) => prompt.includes(c));
  if (country === undefined) return 'I do not know.';
  const capital = CAPITALS[country] ?? '';
  if (/\bjson\b/i.test(prompt)) return JSON.stringify({ country, capital });
  return `The capital of ${country} is ${capital}.`;
}
