import { createHash } from 'node:crypto';

// The case reference a citizen quotes in Digital Post and owners see in forwards, digests
// and the case register: `SSI-DB-2026-4K7QM-2XP9C`. It is derived from the SES message id
// alone (the year from the receipt date), so every retry and replay of a mail agrees on it,
// and it carries no personal data. Crockford's base32 leaves out I, L, O and U, so a
// reference read aloud or typed from a letter is not misread.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Ten symbols, 50 bits: a collision among a million mails is about as likely as 1 in 2,000. */
const SYMBOLS = 10;
const PREFIX = 'SSI-DB';

/** The reference of the mail with this SES message id, received in `year` (Europe/Copenhagen). */
export function caseReference(sesMessageId: string, year: number): string {
  const digest = createHash('sha256').update(sesMessageId, 'utf8').digest();
  let symbols = '';
  let bits = 0;
  let buffer = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && symbols.length < SYMBOLS) {
      bits -= 5;
      symbols += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
    if (symbols.length === SYMBOLS) break;
  }
  return `${PREFIX}-${year}-${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/** A reference exactly as `caseReference` writes it. */
export const CASE_REFERENCE_FORMAT = /^SSI-DB-\d{4}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

/** `SSI-DB-2026-4K7QM-2XP9C`, also as people type it: lower case, O for 0, spaces for dashes. */
export const CASE_REFERENCE_PATTERN =
  /(?<![\p{L}\p{N}])SSI[-\s]?DB[-\s]?(\d{4})[-\s]?([0-9A-Z]{5})[-\s]?([0-9A-Z]{5})(?![\p{L}\p{N}])/iu;

/** The first case reference quoted in `text`, normalised, or null. */
export function findCaseReference(text: string): string | null {
  const match = CASE_REFERENCE_PATTERN.exec(text);
  if (!match) return null;
  const [, year, first, second] = match;
  const symbols = `${first}${second}`.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if ([...symbols].some((symbol) => !ALPHABET.includes(symbol))) return null;
  return `${PREFIX}-${year}-${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}
