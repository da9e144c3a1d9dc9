// Building blocks for the Danish and English vocabularies of the classifiers. JavaScript's
// \b knows no æøå, so word edges are written with Unicode letter classes instead.

/**
 * A phrase as a pattern source: any whitespace between words, and æ/ø/å also as ae/oe/aa
 * (keyboards and systems without them) or as the bare vowel (phones that drop them).
 */
export function phrase(source: string): string {
  return source
    .replaceAll(' ', String.raw`\s+`)
    .replaceAll('æ', '(?:æ|ae|a)')
    .replaceAll('ø', '(?:ø|oe|o)')
    .replaceAll('å', '(?:å|aa|a)');
}

/**
 * One case-insensitive, global pattern from phrases that start at a word start. No word end
 * is required unless the phrase says so, so inflections match: indsigten, sletningen.
 */
export function vocabulary(...phrases: string[]): RegExp {
  return new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${phrases.map(phrase).join('|')})`, 'giu');
}

/** Like `vocabulary`, but each phrase must also end at a word end. */
export function words(...phrases: string[]): RegExp {
  return new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${phrases.map(phrase).join('|')})(?![\p{L}\p{N}])`, 'giu');
}

/** Whether a global pattern matches anywhere, without the lastIndex state of `test`. */
export function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/** Text prepared for matching: NFC, runs of whitespace as one space. */
export function flatten(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ');
}
