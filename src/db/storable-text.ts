/**
 * Text the service did not get from a client (model answers, provider error messages, prompts
 * rendered from them) is stored, not rejected, with U+0000 and unpaired UTF-16 surrogates
 * replaced by U+FFFD: PostgreSQL's `text` cannot hold U+0000 and neither database can encode an
 * unpaired surrogate as UTF-8, so this is the one form both store alike. Client input with
 * these characters is rejected with a 422 before it gets here (src/http/untrusted-input.ts).
 */
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null): string | null {
  if (text === null) return null;
  // In a `u` regex a surrogate pair is one code point, so \p{Cs} matches only unpaired halves.
  return text.replaceAll('\u0000', '\ufffd').replace(/\p{Cs}/gu, '\ufffd');
}
