import type { Readable } from 'node:stream';
import { readAuthentication } from './authentication.js';
import { classifyTopic } from './classify.js';
import type { TriageConfig } from './config.js';
import { countCprNumbers, redactCpr } from './cpr.js';
import { computeDeadlines } from './deadline.js';
import { extractFraudFacts } from './fraud-facts.js';
import { detectGdprRight, detectLanguage } from './gdpr-rights.js';
import { machineMailReason } from './machine-mail.js';
import { type ParsedMail, parseMail } from './parse.js';
import { boundTriageResult } from './record-limits.js';
import { decideReply } from './reply-policy.js';
import { classifySender, detectEncryption } from './sender.js';
import {
  GDPR_ARTICLE,
  type ReceiptContext,
  type ReplyJob,
  SCHEMA_VERSION,
  type TriageRecord,
} from './types.js';

export interface TriageResult {
  record: TriageRecord;
  /** The job for the replies queue when the reply policy says `send`. */
  replyJob: ReplyJob | null;
}

/** Parses and triages one mail. Never throws for bad input: problems land in `parseErrors`. */
export async function triage(
  source: Readable | Buffer | string,
  context: ReceiptContext,
  config: TriageConfig,
): Promise<TriageResult> {
  const mail = await parseMail(source, config.limits);
  return triageParsed(mail, context, config);
}

/** The pure part: a deterministic function of the parsed mail, its receipt and the configuration. */
export function triageParsed(mail: ParsedMail, context: ReceiptContext, config: TriageConfig): TriageResult {
  const authentication = readAuthentication(mail.headerLines, config.receivingHost, context.verdicts);
  const senderKind = classifySender(mail.from?.address ?? null, config);
  const { encryption, signed } = detectEncryption(mail);
  // Encrypted content is ciphertext: there is no request or CPR number we could read in it.
  const readableText = encryption === 'none' ? mail.text : '';
  const gdprRight = detectGdprRight(mail.subject, readableText);
  const machineReason = machineMailReason(mail);
  const { topic, matchedRule } = classifyTopic(
    {
      subject: mail.subject,
      text: readableText,
      authentication,
      encryption,
      senderKind,
      gdprRight,
      automated: machineReason !== null,
    },
    config.rules,
  );
  const cprCount = countCprNumbers(mail.subject) + countCprNumbers(readableText);
  const decision = decideReply(
    { mail, envelopeSender: context.envelopeSender, topic, senderKind, authentication, machineReason },
    config,
  );
  const gdpr = gdprRight
    ? {
        right: gdprRight,
        article: GDPR_ARTICLE[gdprRight],
        ...computeDeadlines(context.receivedAt, config.calendar),
      }
    : null;

  const record: TriageRecord = {
    schemaVersion: SCHEMA_VERSION,
    sesMessageId: context.sesMessageId,
    receivedAt: context.receivedAt.toISOString(),
    s3: context.s3 ?? null,
    headerMessageId: mail.messageId,
    from: mail.from,
    replyTo: mail.replyTo,
    to: mail.to,
    cc: mail.cc,
    subject: mail.subject,
    language: detectLanguage(`${mail.subject}\n${readableText}`),
    topic,
    matchedRule,
    senderKind,
    encryption,
    signed,
    authentication,
    gdpr,
    pii: { cprCount },
    fraud: topic === 'fraud-sms' ? extractFraudFacts(`${mail.subject}\n${readableText}`) : null,
    attachments: mail.attachments,
    textPreview: preview(readableText, config.limits.previewChars),
    autoReply: decision.autoReply,
    parseErrors: mail.parseErrors,
  };

  const template = decision.autoReply.template;
  const replyJob: ReplyJob | null =
    decision.autoReply.decision === 'send' && decision.replyTo && template
      ? {
          sesMessageId: context.sesMessageId,
          to: decision.replyTo,
          template,
          subject: mail.subject,
          inReplyTo: mail.messageId,
          references: mail.references,
          cprWarning: cprCount > 0,
          gdpr,
          receivedAt: record.receivedAt,
        }
      : null;
  // Whatever the mail holds, the record fits a queue message and the job passes auto-reply's checks.
  return boundTriageResult({ record, replyJob });
}

function preview(text: string, limit: number): string {
  // Redact before cutting, so a CPR number cut in half at the edge cannot leak its digits.
  // The window's trailing digits are dropped too: they could be half of a number.
  const window =
    text.length > limit * 2 + 64 ? text.slice(0, limit * 2 + 64).replace(/[\d\s./-]+$/, '') : text;
  const collapsed = redactCpr(window).replace(/\s+/g, ' ').trim();
  return collapsed.length > limit ? `${collapsed.slice(0, limit - 1)}…` : collapsed;
}
