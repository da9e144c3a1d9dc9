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
  /** Where in the original the characters that unit `index` of `text` came from start and end. */
  sourceOf(index: number): { start: number; end: number };
}

const INVISIBLE = /^[\p{Cf}\p{M}]$/u;
const BLANK = /^[\s\p{Cc}]$/u;
const LINE_BREAK = /^[\n\v\f\x85\u2028\u2029]$/u;
/** Printable ASCII with single spaces between: already in its matching form, character for character. */
const PLAIN_RUN = /[\x21-\x7e]+(?: [\x21-\x7e]+)*/y;

/**
 * A character's matching form: NFKC, invisible characters dropped, and in place of blanks
 * a plain space, "\n" for a line break or "\r" for a carriage return. Cached per code
 * point of the Basic Multilingual Plane, as text repeats its few characters.
 */
const forms = new Map<number, string>();

function matchingForm(code: number, source: string): string {
  const cached = forms.get(code);
  if (cached !== undefined) return cached;
  let form = '';
  for (const char of source.normalize('NFKC')) {
    if (INVISIBLE.test(char)) continue;
    if (char === '\r') form += '\r';
    else if (LINE_BREAK.test(char)) form += '\n';
    else if (BLANK.test(char)) form += ' ';
    else form += char;
  }
  if (code <= 0xffff) forms.set(code, form);
  return form;
}

/** `text` normalised for matching, with the map back to the original's ranges. */
export function toMatchingText(original: string): MatchingText {
  // The result is kept as segments: a plain run maps unit for unit, anything else maps
  // each of its units to the whole of its source (one character, or a run of blanks).
  const pieces: string[] = [];
  const segmentAt: number[] = [];
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  const plain: boolean[] = [];
  let length = 0;
  const add = (piece: string, start: number, end: number, isPlain: boolean) => {
    pieces.push(piece);
    segmentAt.push(length);
    sourceStart.push(start);
    sourceEnd.push(end);
    plain.push(isPlain);
    length += piece.length;
  };
  // Text unchanged by normalising extends the plain segment before it: few segments for
  // Danish or any other text that needs no normalising.
  const addPlain = (piece: string, start: number, end: number) => {
    const last = pieces.length - 1;
    if (last >= 0 && plain[last] && sourceEnd[last] === start) {
      pieces[last] += piece;
      sourceEnd[last] = end;
      length += piece.length;
    } else {
      add(piece, start, end, true);
    }
  };

  let blankStart = -1;
  let blankEnd = -1;
  let lineBreaks = 0;
  let afterCarriageReturn = false;
  const flushBlank = () => {
    if (blankStart < 0) return;
    add(lineBreaks === 0 ? ' ' : lineBreaks === 1 ? '\n' : '\n\n', blankStart, blankEnd, false);
    blankStart = -1;
    lineBreaks = 0;
    afterCarriageReturn = false;
  };

  for (let i = 0; i < original.length; ) {
    const unit = original.charCodeAt(i);
    if (unit > 0x20 && unit < 0x7f) {
      flushBlank();
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(original);
      addPlain(original.slice(i, PLAIN_RUN.lastIndex), i, PLAIN_RUN.lastIndex);
      i = PLAIN_RUN.lastIndex;
      continue;
    }
    const code = original.codePointAt(i) as number;
    const end = i + (code > 0xffff ? 2 : 1);
    const source = original.slice(i, end);
    const form = unit === 0x20 ? ' ' : matchingForm(code, source);
    if (form === source && unit !== 0x20 && form !== '\n' && form !== '\r') {
      flushBlank();
      addPlain(source, i, end);
      i = end;
      continue;
    }
    for (const char of form) {
      if (char === ' ' || char === '\n' || char === '\r') {
        if (blankStart < 0) blankStart = i;
        blankEnd = end;
        // CR LF is one line break (RFC 5322 §2.1), not a blank line.
        if (char === '\r' || (char === '\n' && !afterCarriageReturn)) lineBreaks++;
        afterCarriageReturn = char === '\r';
        continue;
      }
      flushBlank();
      add(char, i, end, false);
    }
    i = end;
  }
  flushBlank();

  return {
    text: pieces.join(''),
    sourceOf(index) {
      // The last segment starting at or before `index`.
      let low = 0;
      let high = segmentAt.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if ((segmentAt[middle] as number) <= index) low = middle;
        else high = middle - 1;
      }
      const start = sourceStart[low] as number;
      if (!plain[low]) return { start, end: sourceEnd[low] as number };
      const at = start + index - (segmentAt[low] as number);
      return { start: at, end: at + 1 };
    },
  };
}
