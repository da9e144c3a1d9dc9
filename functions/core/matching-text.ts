// Text as a reader sees it, for finding numbers in it: whether a CPR number is found must
// not depend on how it was typed or pasted. Every character of the result remembers the
// range of the original it came from, so what is found can be redacted in the original
// and nothing else of the original changes.
//
// - Compatibility forms become their plain equivalents (Unicode NFKC, UAX #15): full-width
//   digits ０–９ become 0–9, the full-width and small hyphens "-", the no-break space a space.
// - Invisible characters are dropped: format characters (\p{Cf}: the zero-width space
//   U+200B, the joiners U+200C/U+200D, the word joiner U+2060, the byte-order mark U+FEFF,
//   the soft hyphen U+00AD, bidi controls) and combining marks (\p{M}: variation selectors,
//   the keycap U+20E3), which draw nothing between two digits.
// - A run of whitespace or control characters (tab, no-break and narrow no-break spaces,
//   line breaks; mail programs show controls as gaps) becomes one space, or one line break
//   when it holds one, or a blank line when it holds more: the CPR keyword rule reads lines.
//
// NFKC is applied per code point. Its compatibility mappings are per code point too; what
// that skips, composing a letter with the marks after it, cannot change a digit, a
// separator or an ASCII keyword.

export interface MatchingText {
  text: string;
  /** For each UTF-16 unit of `text`, where the original characters it came from start. */
  starts: number[];
  /** For each UTF-16 unit of `text`, where the original characters it came from end. */
  ends: number[];
}

const INVISIBLE = /^[\p{Cf}\p{M}]$/u;
const BLANK = /^[\s\p{Cc}]$/u;
const LINE_BREAK = /^[\n\v\f\r\x85\u2028\u2029]$/u;

/** `text` normalised for matching, with the map back to the original's ranges. */
export function toMatchingText(original: string): MatchingText {
  const units: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let blankStart = -1;
  let blankEnd = -1;
  let lineBreaks = 0;
  let afterCarriageReturn = false;

  const emit = (char: string, start: number, end: number) => {
    for (let k = 0; k < char.length; k++) {
      units.push(char[k] as string);
      starts.push(start);
      ends.push(end);
    }
  };
  const flushBlank = () => {
    if (blankStart < 0) return;
    emit(lineBreaks === 0 ? ' ' : lineBreaks === 1 ? '\n' : '\n\n', blankStart, blankEnd);
    blankStart = -1;
    lineBreaks = 0;
    afterCarriageReturn = false;
  };

  for (let i = 0; i < original.length; ) {
    const code = original.codePointAt(i) as number;
    const end = i + (code > 0xffff ? 2 : 1);
    if (code >= 0x21 && code <= 0x7e) {
      // Printable ASCII is its own normal form: the common case, kept cheap.
      flushBlank();
      emit(original[i] as string, i, end);
      i = end;
      continue;
    }
    const source = original.slice(i, end);
    for (const char of code < 0x80 ? source : source.normalize('NFKC')) {
      if (INVISIBLE.test(char)) continue;
      if (BLANK.test(char)) {
        if (blankStart < 0) blankStart = i;
        blankEnd = end;
        // CR LF is one line break (RFC 5322 §2.1), not a blank line.
        if (LINE_BREAK.test(char) && !(char === '\n' && afterCarriageReturn)) lineBreaks++;
        afterCarriageReturn = char === '\r';
        continue;
      }
      flushBlank();
      emit(char, i, end);
    }
    i = end;
  }
  flushBlank();
  return { text: units.join(''), starts, ends };
}
