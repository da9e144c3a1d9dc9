import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { REPLY_TEXTS, replyHtml, replySubject, replyText } from '../templates/index.js';
import type { TriageConfig } from './config.js';
import { redactCpr } from './cpr.js';
import { PermanentFailure } from './errors.js';
import { removeLinks } from './fraud-facts.js';
import { digest, isPlainAddress, messageIdDomain, sanitiseSubject, subjectFields } from './outgoing-mail.js';
import type { ReplyJob } from './queue-messages.js';

// The auto-reply, built by MailComposer (never by string concatenation). It echoes nothing
// from the incoming mail but a sanitised subject.

const LINK_REMOVED = '[link]';
/** RFC 5322 §3.6.4 lets References grow with a thread; a long one is cut to its first and latest ids. */
const MAX_REFERENCES = 20;

/** The reply's address is not one plain mailbox: refuse rather than let MIME tooling guess. */
export class ReplyAddressInvalid extends PermanentFailure {
  override readonly name = 'ReplyAddressInvalid';
  constructor() {
    // The address itself is personal data: it stays out of the message.
    super('the reply address is not a single plain e-mail address');
  }
}

/** Builds the raw MIME of one auto-reply: Danish first, English below, text and HTML. */
export async function composeReply(job: ReplyJob, config: TriageConfig, now: Date): Promise<Buffer> {
  if (!isPlainAddress(job.to)) throw new ReplyAddressInvalid();
  const rendered = REPLY_TEXTS[job.template].render({
    gdpr: job.gdpr,
    cprWarning: job.cprWarning,
    reference: job.reference,
    forwarded: job.forwarded,
  });
  const inReplyTo = normaliseMessageId(job.inReplyTo);
  const references = threadReferences(job.references, inReplyTo);
  const subject = subjectFields(replySubject(echoedSubject(job.subject)));

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
    text: replyText(rendered),
    html: replyHtml(rendered),
  };
  return new MailComposer({ ...options, textEncoding: 'base64' }).compile().build();
}

/**
 * The one thing a reply echoes, written by whoever sent the mail: no CPR number goes back
 * by e-mail, and no link goes out in a mail under SSI's name. CPR numbers are redacted
 * before sanitising, so cutting to length never leaves half a number, and again after it,
 * because turning control characters into spaces can make digits read as a number.
 */
function echoedSubject(subject: string): string {
  return redactCpr(sanitiseSubject(removeLinks(redactCpr(subject), LINK_REMOVED)));
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
