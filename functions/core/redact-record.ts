import { countCprNumbers, redactCpr } from './cpr.js';
import type { TriageRecord } from './queue-messages.js';
import type { AttachmentFact } from './types.js';

// A TriageRecord goes to topic queues, the owners' case systems and forwards: no CPR number
// may ride along in any of its strings (DOMAIN.md: sensitive personal data). Rather than
// naming the fields a sender can write into (subject, display name, file names, links,
// parse errors quoting a header, evidence added later), every string is redacted, except
// the few that must stay exact for the mail to be answered and found again.

/** Paths kept as they are: the addresses that route and answer the mail, and the ids of the stored original. */
const KEPT_AS_IS = new Set(['sesMessageId', 's3', 'from.address', 'replyTo', 'to', 'cc']);

/** The record with every CPR number in its strings replaced by [CPR]. */
export function redactRecord(record: TriageRecord): TriageRecord {
  return redactStrings(record, '') as TriageRecord;
}

function redactStrings(value: unknown, path: string): unknown {
  if (KEPT_AS_IS.has(path)) return value;
  if (typeof value === 'string') return redactCpr(value);
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, path));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, redactStrings(field, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}

/** CPR numbers a mail holds where a person wrote them: subject, text and attachment file names. */
export function countCprNumbersInMail(
  subject: string,
  text: string,
  attachments: readonly Pick<AttachmentFact, 'filename'>[],
): number {
  return (
    countCprNumbers(subject) +
    countCprNumbers(text) +
    attachments.reduce((sum, { filename }) => sum + (filename ? countCprNumbers(filename) : 0), 0)
  );
}

/**
 * The start of a mail's text for the record: whitespace folded to single spaces, CPR
 * numbers redacted, at most `limit` characters. Folding comes first so that what is
 * checked is what is shown: folding can bring a keyword within reach of a bare number.
 */
export function redactedPreview(text: string, limit: number): string {
  // Only a window is read, so the cost stays flat in the text's length. Its trailing
  // digits are dropped: they could be half of a number cut at the edge, and half a number
  // is no longer recognisable as one.
  const window = text.length > limit * 2 + 64 ? dropTrailingNumber(text.slice(0, limit * 2 + 64)) : text;
  const shown = redactCpr(window.replace(/\s+/gu, ' ').trim());
  if (shown.length <= limit) return shown;
  return limit > 0 ? `${shown.slice(0, limit - 1)}…` : '';
}

// Digits of any script and width, and what can stand between the digits of one number.
const NUMBER_PART = /^[\p{N}\s\p{Cc}\p{Cf}\p{M}\p{Pd}./\uD800-\uDBFF]$/u;

function dropTrailingNumber(text: string): string {
  const chars = Array.from(text);
  while (chars.length > 0 && NUMBER_PART.test(chars[chars.length - 1] as string)) chars.pop();
  return chars.join('');
}
