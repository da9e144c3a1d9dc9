import { createHash } from 'node:crypto';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import type { MimeNodeHeaderMap } from 'nodemailer/lib/mime-node';
import { domainOf } from './address.js';

// What every mail we send has in common, replies and forwards alike: a subject made safe
// to reuse, a guard against encoded words in it, a check that an address is one plain
// mailbox, and the parts of our own Message-IDs.

const MAX_SUBJECT_CHARS = 150;

// Reply prefixes ("Re:", "SV:") count only when an automatic-reply prefix follows, so
// "SV: Automatisk svar: Re: Indsigt" becomes "Re: Indsigt" and a loop never nests.
const REPLY_PREFIX = String.raw`(?:re|sv|aw|vs|fwd?|videresendt|forward)\s*:\s*`;
const AUTO_WORDS = String.raw`(?:automatisk\s+svar|automatic\s+reply|auto[\s-]*(?:reply|response|svar|antwort)|autosvar|autoreply|autoresponse|auto)`;
// Our own prefix names both languages: "Automatisk svar / Automatic reply:".
const AUTO_PREFIX = String.raw`${AUTO_WORDS}(?:\s*\/\s*${AUTO_WORDS})*\s*:\s*`;
const AUTO_PREFIX_RUN = new RegExp(`^(?:${REPLY_PREFIX})*${AUTO_PREFIX}`, 'iu');
// Unicode's bidirectional overrides and isolates can disguise the text a reader sees.
const INVISIBLE_CHAR = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const INVISIBLE = new RegExp(INVISIBLE_CHAR.source, 'gu');

/**
 * A subject made safe to reuse: control characters (CR and LF among them) and bidi
 * overrides removed, whitespace collapsed, leading automatic-reply prefixes stripped,
 * at most 150 characters.
 */
export function sanitiseSubject(subject: string): string {
  let value = subject.normalize('NFC').replace(INVISIBLE, ' ').replace(/\s+/gu, ' ').trim();
  for (let before = ''; before !== value; ) {
    before = value;
    value = value.replace(AUTO_PREFIX_RUN, '').trim();
  }
  const chars = Array.from(value);
  if (chars.length <= MAX_SUBJECT_CHARS) return value;
  const cut = chars.slice(0, MAX_SUBJECT_CHARS - 1).join('');
  return `${cut.trimEnd()}…`;
}

/**
 * MailComposer passes text that looks like an RFC 2047 encoded word through as it is, so a
 * subject holding "=?utf-8?Q?Hi=0D=0ABcc:…?=" would be decoded by the reader's mail
 * program into a line break. Such a subject is encoded whole, which shows it literally.
 */
export function subjectFields(subject: string): { subject?: string; headers: MimeNodeHeaderMap } {
  if (!subject.includes('=?')) return { subject, headers: {} };
  return { headers: { Subject: { prepared: true, foldLines: true, value: encodeWord(subject, 'Q', 52) } } };
}

const PLAIN_ADDRESS = /^[^\s"(),:;<>@[\\\]]+@[^\s"(),:;<>@[\\\]]+\.[^\s"(),:;<>@[\\\]]+$/u;

export function isPlainAddress(address: string): boolean {
  return address.length <= 254 && PLAIN_ADDRESS.test(address) && !INVISIBLE_CHAR.test(address);
}

/** The domain our own Message-IDs are made under: the sender's (validated config, so present). */
export function messageIdDomain(address: string): string {
  return domainOf(address) ?? 'localhost';
}

/** A stable id part: a retried job yields the same Message-ID, and the SES id is not exposed. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
