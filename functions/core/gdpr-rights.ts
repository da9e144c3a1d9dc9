import type { GdprRight } from './types.js';

// Which GDPR right (arts. 15–21) a mail invokes, from the Danish and English words people
// use for them (DOMAIN.md, Vocabulary). A cheap first pass: mailbox owners confirm.

/** How much of a body is read; requests say what they want near the top. */
const BODY_LIMIT = 5_000;

/**
 * A case-insensitive pattern from phrases (regular expressions without spaces or æøå in
 * character classes): a word start before it (JavaScript's \b knows no æøå), any
 * whitespace between words, and æ/ø/å also as ae/oe/aa for keyboards and systems without
 * them. No word end after it, so inflections match: indsigten, sletningen, berigtigelsen.
 */
function phrase(source: string): string {
  return source
    .replaceAll(' ', String.raw`\s+`)
    .replaceAll('æ', '(?:æ|ae)')
    .replaceAll('ø', '(?:ø|oe)')
    .replaceAll('å', '(?:å|aa)');
}

function vocabulary(...phrases: string[]): RegExp {
  return new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${phrases.map(phrase).join('|')})`, 'giu');
}

const MY_DATA = '(?:alle )?mine (?:person)?(?:oplysninger|data)';
const MY_DATA_EN = '(?:all )?(?:of )?my (?:personal )?(?:data|information|details)';

// In GDPR_RIGHTS order, which breaks ties between patterns matching at the same place.
const PATTERNS: ReadonlyArray<{ right: GdprRight; pattern: RegExp }> = [
  {
    right: 'access',
    pattern: vocabulary(
      // "aktindsigt" (the Offentlighedslov's access to documents) is not a GDPR request.
      '(?<!akt-?)indsigt',
      // "hvilke oplysninger har I om mig", "… I har registreret om mig", and the English
      'hvilke (?:person)?oplysninger (?:\\p{L}+ ){1,3}om mig',
      'what (?:personal )?(?:data|information) (?:\\p{L}+ ){1,4}(?:about|on) me(?![\\p{L}])',
      '(?:data )?(?:subject )?access requests?',
      'request(?:ing)? access to my',
      `cop(?:y|ies) of ${MY_DATA_EN}`,
    ),
  },
  {
    right: 'access',
    // An abbreviation, so only as a whole upper-case word: "sar" and "Sarah" are not requests.
    pattern: /(?<![\p{L}\p{N}])SAR(?![\p{L}\p{N}])/gu,
  },
  {
    right: 'rectification',
    pattern: vocabulary(
      'berigtig',
      `rettelse af ${MY_DATA}`,
      `ret(?:te)? ${MY_DATA}`,
      'forkerte (?:person)?oplysninger',
      'rectif(?:y|ied|ication)',
      `correct(?:ing)? ${MY_DATA_EN}`,
      'inaccurate',
    ),
  },
  {
    right: 'erasure',
    pattern: vocabulary(
      'sletning',
      `slet(?:te)? ${MY_DATA}`,
      'retten til at blive glemt',
      'eras(?:e|ed|ing|ure)(?![\\p{L}])',
      `delet(?:e|ion of) ${MY_DATA_EN}`,
      'right to be forgotten',
    ),
  },
  {
    right: 'restriction',
    pattern: vocabulary(
      'begrænsning af (?:\\p{L}+ )?behandling',
      'begrænse (?:\\p{L}+ )?behandling',
      'restrict(?:ing)? (?:the )?processing',
      'restriction of (?:the )?processing',
    ),
  },
  {
    right: 'portability',
    pattern: vocabulary('dataportabilitet', 'data\\s*portability'),
  },
  {
    right: 'objection',
    pattern: vocabulary(
      '(?:gøre )?indsigelse',
      'modsætte mig (?:\\p{L}+ )?behandling',
      'object(?:ing)? to (?:the )?processing',
      'objections?(?![\\p{L}])',
    ),
  },
];

// A list of rights after "Du har ret til …" / "You have the right to …" informs, as SSI's
// own letters and newsletters' privacy notes do; quoted, they must not look like requests.
const INFORMING_LEAD =
  /(?<![\p{L}])(?:du|de|you|den registrerede|the data subject)\s+(?:har|have|has)\s+(?:[\p{L}.]+\s+){0,3}?(?:ret(?:ten)?|rights?)(?![\p{L}])/giu;
// …unless the writer speaks for themselves or a new sentence starts before the mention.
const FIRST_PERSON = /(?<![\p{L}])(?:jeg|mig|min|mit|mine|my|me|myself)(?![\p{L}])/iu;
const NEW_SENTENCE = /[.!?]\s+\p{Lu}|\n\s*\n/u;
const INFORMING_REACH = 200;

function isInforming(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - INFORMING_REACH), index);
  let gapStart = -1;
  for (const lead of before.matchAll(INFORMING_LEAD)) gapStart = lead.index + lead[0].length;
  if (gapStart < 0) return false;
  const gap = before.slice(gapStart);
  return !FIRST_PERSON.test(gap) && !NEW_SENTENCE.test(gap);
}

function firstRightMentioned(text: string, skipInforming: boolean): GdprRight | null {
  let first: { index: number; right: GdprRight } | null = null;
  for (const { right, pattern } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (first && match.index >= first.index) break;
      if (skipInforming && isInforming(text, match.index)) continue;
      first = { index: match.index, right };
      break;
    }
  }
  return first?.right ?? null;
}

/**
 * The GDPR right a mail asks for, or null. The subject is the sender's own summary, so a
 * right named there wins; otherwise the body's first mention counts.
 */
export function detectGdprRight(subject: string, text: string): GdprRight | null {
  return (
    firstRightMentioned(subject.normalize('NFC'), false) ??
    firstRightMentioned(text.slice(0, BODY_LIMIT).normalize('NFC'), true)
  );
}

// Words frequent in one language and rare in the other. Danish "I" (you, plural) is
// written like English "I"; the other words outweigh it.
const DANISH_WORDS = new Set([
  'og',
  'jeg',
  'ikke',
  'det',
  'er',
  'til',
  'på',
  'med',
  'har',
  'mine',
  'mig',
  'oplysninger',
  'hej',
  'venlig',
  'hilsen',
  'mvh',
  'tak',
]);
const ENGLISH_WORDS = new Set([
  'the',
  'and',
  'my',
  'me',
  'to',
  'of',
  'is',
  'you',
  'your',
  'please',
  'regards',
  'hello',
  'dear',
  'thank',
]);
const DANISH_LETTERS = /[æøå]/iu;
/** Fewer hits than this, or no clear lead, is too little to tell. */
const MIN_EVIDENCE = 2;
const MIN_LEAD = 1.5;

/** 'da' or 'en' by counting common words in the first 5,000 characters; 'unknown' when unclear. */
export function detectLanguage(text: string): 'da' | 'en' | 'unknown' {
  let danish = 0;
  let english = 0;
  const sample = text.slice(0, BODY_LIMIT).normalize('NFC');
  for (const [word] of sample.matchAll(/\p{L}+/gu)) {
    if (word === 'I') {
      english += 1;
      continue;
    }
    const lower = word.toLowerCase();
    if (DANISH_WORDS.has(lower) || DANISH_LETTERS.test(lower)) danish += 1;
    else if (ENGLISH_WORDS.has(lower)) english += 1;
  }
  if (danish >= MIN_EVIDENCE && danish >= english * MIN_LEAD) return 'da';
  if (english >= MIN_EVIDENCE && english >= danish * MIN_LEAD) return 'en';
  return 'unknown';
}
