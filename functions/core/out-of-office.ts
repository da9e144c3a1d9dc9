// Out-of-office subjects. Outlook's and many webmail auto-replies carry no Auto-Submitted
// header (RFC 3834 §5 asks for one; Exchange sends it to the Internet only sometimes), so
// the subject is often the only sign. The forms are those the mail programs write in
// Danish, Norwegian, Swedish, English and German, as prefix ("Automatisk svar: <subject>")
// or as the whole subject ("Fraværende", "Out of Office until 5 January").

// Unmistakable at the start of a subject, whatever follows.
const AUTO_REPLY_PREFIXES = [
  'automatisk svar',
  'automatiskt svar',
  'autosvar',
  'auto-svar',
  'autoreply',
  'auto-reply',
  'auto reply',
  'automatic reply',
  'auto response',
  'auto-response',
  'autoresponse',
  'out of office',
  'out of the office',
  'abwesenheitsnotiz',
  'automatische antwort',
  'fraværsmelding',
  'frånvaromeddelande',
  'ikke på kontoret',
  'ikke til stede',
  'inte på kontoret',
  'nicht im büro',
];

// Absence words a person rarely opens a subject with: they count as the whole subject,
// before a colon, dash or parenthesis, or before "until"/"til"/"bis"/… ("Fraværende til 5. januar").
const ABSENCE_WORDS = [
  'fraværende',
  'fravær',
  'frånvaro',
  'frånvarande',
  'borte',
  'abwesend',
  'abwesenheit',
  'away',
  'away from the office',
  'away from office',
];

// Holiday words, which SSI's citizens also write about ("Ferie: hvilke vacciner?", "Ferie
// til Thailand"): they count only as the whole subject or before "until"/"indtil"/… .
const HOLIDAY_WORDS = [
  'ferie',
  'på ferie',
  'semester',
  'på semester',
  'urlaub',
  'im urlaub',
  'vacation',
  'on vacation',
  'holiday',
  'on holiday',
  'on leave',
];

const asPattern = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
const alternatives = (words: string[]) => `(?:${words.map(asPattern).join('|')})`;
// Leading bracketed tags such as [EXTERN] may be added on the way.
const LEAD = '^\\s*(?:\\[[^\\]]{0,40}\\]\\s*)*';
const NOT_A_LETTER = '(?![\\p{L}\\p{N}])';
const UNTIL = '(?:indtil|until|till|fram\\s+till|bis|t\\.o\\.m\\.|through)';
const PREFIX = new RegExp(`${LEAD}${alternatives(AUTO_REPLY_PREFIXES)}${NOT_A_LETTER}`, 'iu');
const ABSENCE = new RegExp(
  `${LEAD}${alternatives(ABSENCE_WORDS)}\\s*(?:$|[:\\-–—(]|(?:${UNTIL}|til|fra|from|vom)${NOT_A_LETTER})`,
  'iu',
);
const HOLIDAY = new RegExp(
  `${LEAD}${alternatives(HOLIDAY_WORDS)}[\\s.!]*(?:$|${UNTIL}${NOT_A_LETTER})`,
  'iu',
);

/** True for the subject of an out-of-office or other automatic reply. */
export function isOutOfOfficeSubject(subject: string): boolean {
  return PREFIX.test(subject) || ABSENCE.test(subject) || HOLIDAY.test(subject);
}
