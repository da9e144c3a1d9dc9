// Danish CPR numbers (DOMAIN.md): DDMMYY-SSSS, where the first six digits are a date of
// birth whose century follows from the seventh digit. The modulus-11 check is deliberately
// not applied: numbers issued since 2007 may fail it.

import { toMatchingText } from './matching-text.js';

export interface TextRange {
  start: number;
  end: number;
}

// Numbers are looked for in the text as a reader sees it (matching-text.ts): full-width
// digits are digits, invisible characters between digits are gone, and a tab, two spaces
// or a line break is one gap. The patterns below see only that normalised text.

// Dashes a citizen's keyboard or word processor puts for "-" (hyphen, figure dash, en and
// em dash, minus sign); NFKC has already turned the no-break, small and full-width hyphens
// into one of these.
const DASHES = String.raw`\-\u2010\u2012\u2013\u2014\u2212`;
// Joiners that make two digit groups one number. A space is not one: CPR numbers are
// listed with spaces between them ("010110-1234 020212-2345").
const JOINERS = `${DASHES}/.`;
// Between the date and the serial number: a dash with or without a gap on either side,
// one gap (a space, a tab, a line break), or nothing.
const SEPARATOR = `(?:[ \n]?[${DASHES}][ \n]?|[ \n])?`;

// A candidate is never a slice of a longer number: no digit, no `+` (a phone prefix) and
// no digit behind a joiner (12-010190-1234, 010190-1234-5) may touch it. The date may be
// written with dots (dd.mm.yy-xxxx), as Danish dates are.
const CANDIDATE = new RegExp(
  String.raw`(?<![\d+])(?<!\d[${JOINERS}])(\d{2})(\.?)(\d{2})\2(\d{2})(${SEPARATOR})(\d)(\d{3})(?!\d)(?![${JOINERS}]\d)`,
  'gu',
);
const SINGLE_DASH = new RegExp(`^[${DASHES}]$`, 'u');

// Only these make a bare ten-digit run a CPR number; "cpr" also covers cpr-nr, cpr.nr.,
// cpr-nummer and CPR number. Our own redaction mark, [CPR], is not one.
const KEYWORD =
  /(?<![\p{L}[])(?:cpr(?!\])|personn(?:umme)?r|civil\s+registration\s+number|personal\s+id(?:entification)?\s+number|sygesikringsnummer)/iu;
/** How far before a bare run a keyword may start (DOMAIN.md: "near", e.g. "CPR-nummer: "). */
const KEYWORD_WINDOW = 40;
const REDACTION = '[CPR]';

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** The four-digit birth year, from the two-digit year and the seventh digit (the CPR office's table). */
function birthYear(yy: number, seventh: number): number {
  if (seventh <= 3) return 1900 + yy;
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

function isValidBirthDate(dd: number, mm: number, yy: number, seventh: number): boolean {
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const year = birthYear(yy, seventh);
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1] ?? 0;
  return dd <= days;
}

/**
 * The `KEYWORD_WINDOW` characters before `start` as they read once the numbers already
 * found are redacted. A keyword thus reaches through a list ("CPR: 010190-1234,
 * 020290-1234, 0303901234"), and redacting never brings a keyword within reach of a run
 * it did not reach before: one pass of `redactCpr` leaves no CPR number behind.
 */
function redactedWindowBefore(text: string, start: number, found: readonly TextRange[]): string {
  let window = '';
  let to = start;
  for (let i = found.length - 1; ; i--) {
    const previous = found[i];
    const from = Math.max(previous?.end ?? 0, to - (KEYWORD_WINDOW - window.length));
    window = text.slice(from, to) + window;
    if (!previous || from > previous.end || window.length >= KEYWORD_WINDOW) break;
    window = REDACTION + window;
    to = previous.start;
  }
  return window.slice(-KEYWORD_WINDOW);
}

/** Whether a CPR keyword appears in the window, on the number's line or the line before. */
function hasKeyword(window: string): boolean {
  const lastBreak = window.lastIndexOf('\n');
  const previousBreak = lastBreak > 0 ? window.lastIndexOf('\n', lastBreak - 1) : -1;
  return KEYWORD.test(previousBreak >= 0 ? window.slice(previousBreak + 1) : window);
}

/** Ranges of the CPR numbers in an already normalised text (matching-text.ts). */
function findInMatchingText(text: string): TextRange[] {
  const found: TextRange[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const [whole, dd, dot, mm, yy, separator, seventh] = match;
    if (!isValidBirthDate(Number(dd), Number(mm), Number(yy), Number(seventh))) continue;
    // Without a separator, ten digits could be anything (an account, an order, a Unix
    // time in a link's query); only a keyword, also a query parameter named cpr, makes
    // them a CPR number. A dotted date is a CPR number only when a dash ties the serial
    // number to it: "12.03.26 1030" is a date and a time.
    const needsKeyword = separator === '' || (dot === '.' && !SINGLE_DASH.test(separator ?? ''));
    if (needsKeyword && !hasKeyword(redactedWindowBefore(text, match.index, found))) continue;
    found.push({ start: match.index, end: match.index + whole.length });
  }
  return found;
}

/**
 * Character ranges of the CPR numbers in `text`, in order and not overlapping. A range
 * covers the number as written, with whatever invisible or doubled characters lie inside it.
 */
export function findCprNumbers(text: string): TextRange[] {
  const view = toMatchingText(text);
  const ranges: TextRange[] = [];
  let previousEnd = 0;
  for (const { start, end } of findInMatchingText(view.text)) {
    // One original character can stand for several normalised ones ("½" is "1⁄2"), so two
    // numbers can end and start in it; the ranges are kept apart.
    const from = Math.max(view.sourceOf(start).start, previousEnd);
    const to = view.sourceOf(end - 1).end;
    if (to <= from) continue;
    ranges.push({ start: from, end: to });
    previousEnd = to;
  }
  return ranges;
}

export function countCprNumbers(text: string): number {
  return findCprNumbers(text).length;
}

/** `text` with every CPR number replaced by `[CPR]`. */
export function redactCpr(text: string): string {
  let redacted = '';
  let from = 0;
  for (const { start, end } of findCprNumbers(text)) {
    redacted += text.slice(from, start) + REDACTION;
    from = end;
  }
  return redacted + text.slice(from);
}
