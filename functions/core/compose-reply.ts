import { createHash } from 'node:crypto';
import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import type { MimeNodeHeaderMap } from 'nodemailer/lib/mime-node';
import { REPLY_TEXTS } from '../templates/index.js';
import { escapeHtml, type RenderedText } from '../templates/reply-texts.js';
import { domainOf } from './address.js';
import type { TriageConfig } from './config.js';
import { redactCpr } from './cpr.js';
import type { ReplyJob } from './types.js';

// The auto-reply, built by MailComposer (never by string concatenation). It echoes nothing
// from the incoming mail but a sanitised subject.

const SUBJECT_PREFIX = 'Automatisk svar';
const SUBJECT_WITHOUT_ORIGINAL = 'Automatisk svar / Automatic reply';
const MAX_SUBJECT_CHARS = 150;
/** RFC 5322 §3.6.4 lets References grow with a thread; a long one is cut to its first and latest ids. */
const MAX_REFERENCES = 20;

/** The reply's address is not one plain mailbox: refuse rather than let MIME tooling guess. */
export class ReplyAddressInvalid extends Error {
  override readonly name = 'ReplyAddressInvalid';
  constructor() {
    // The address itself is personal data: it stays out of the message.
    super('the reply address is not a single plain e-mail address');
  }
}

/** Builds the raw MIME of one auto-reply: Danish first, English below, text and HTML. */
export async function composeReply(job: ReplyJob, config: TriageConfig, now: Date): Promise<Buffer> {
  if (!isPlainAddress(job.to)) throw new ReplyAddressInvalid();
  const rendered = REPLY_TEXTS[job.template].render({ gdpr: job.gdpr, cprWarning: job.cprWarning });
  const inReplyTo = normaliseMessageId(job.inReplyTo);
  const references = threadReferences(job.references, inReplyTo);
  // A subject may carry a CPR number; the reply must not send it back by e-mail.
  const original = sanitiseSubject(redactCpr(job.subject));
  const subject = subjectFields(original ? `${SUBJECT_PREFIX}: ${original}` : SUBJECT_WITHOUT_ORIGINAL);

  const options: MailComposerOptions = {
    from: { name: config.reply.fromName, address: config.reply.from },
    to: { name: '', address: job.to },
    subject: subject.subject,
    date: now,
    messageId: `<auto-reply.${digest(job.sesMessageId)}@${messageIdDomain(config.reply.from)}>`,
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references.length > 0 ? { references } : {}),
    headers: {
      ...subject.headers,
      // RFC 3834 §5: marks the reply as automatic so other responders stay quiet. No
      // Precedence header: RFC 3834 §5.1 discourages it.
      'Auto-Submitted': 'auto-replied',
      // Exchange and Outlook: no out-of-office or read receipts back to the reply.
      'X-Auto-Response-Suppress': 'All',
      'Content-Language': 'da, en',
    },
    text: bilingualText(rendered.da, rendered.en),
    html: bilingualHtml(rendered.da, rendered.en),
  };
  return new MailComposer({ ...options, textEncoding: 'base64' }).compile().build();
}

// Reply prefixes ("Re:", "SV:") count only when an automatic-reply prefix follows, so
// "SV: Automatisk svar: Re: Indsigt" becomes "Re: Indsigt" and a loop never nests.
const REPLY_PREFIX = String.raw`(?:re|sv|aw|vs|fwd?|videresendt|forward)\s*:\s*`;
const AUTO_PREFIX = String.raw`(?:automatisk\s+svar|automatic\s+reply|auto[\s-]*(?:reply|response|svar|antwort)|autosvar|autoreply|autoresponse|auto)\s*:\s*`;
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

function bilingualText(da: RenderedText, en: RenderedText): string {
  return `${da.text}\n\n${'-'.repeat(60)}\n\n${en.text}\n`;
}

function bilingualHtml(da: RenderedText, en: RenderedText): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="da">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(SUBJECT_WITHOUT_ORIGINAL)}</title></head>`,
    '<body>',
    `<div lang="da">\n${da.html}\n</div>`,
    '<hr>',
    `<div lang="en">\n${en.html}\n</div>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// The incoming ids were checked by the parser; they are checked again because a queue
// message is input too, and an id ends up verbatim in a header.
const MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>$/;

function normaliseMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const trimmed = id.trim();
  const bracketed = trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
  return MESSAGE_ID.test(bracketed) ? bracketed : null;
}

function threadReferences(references: readonly string[], inReplyTo: string | null): string[] {
  const ids = references.map(normaliseMessageId).filter((id): id is string => id !== null);
  if (inReplyTo && !ids.includes(inReplyTo)) ids.push(inReplyTo);
  if (ids.length <= MAX_REFERENCES) return ids;
  return [...ids.slice(0, 1), ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
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
