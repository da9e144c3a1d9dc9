import type { Readable } from 'node:stream';
import { readAuthentication } from './authentication.js';
import { caseReference } from './case-reference.js';
import { classifyTopic } from './classify.js';
import type { TriageConfig } from './config.js';
import { computeDeadlines, localDate } from './deadline.js';
import { gatherEvidence } from './evidence.js';
import { detectLanguage } from './gdpr-rights.js';
import { machineMailReason } from './machine-mail.js';
import { type ParsedMail, parseMail } from './parse.js';
import type { ReplyJob, TriageRecord } from './queue-messages.js';
import { boundTriageResult } from './record-limits.js';
import { countCprNumbersInMail, redactedPreview, redactRecord } from './redact-record.js';
import { decideReply } from './reply-policy.js';
import { classifySender, detectEncryption } from './sender.js';
import { GDPR_ARTICLE, type ReceiptContext, SCHEMA_VERSION } from './types.js';

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
  const machineReason = machineMailReason(mail);
  const automated = machineReason !== null;
  const evidence = gatherEvidence({
    subject: mail.subject,
    text: readableText,
    attachments: mail.attachments,
    senderKind,
    encryption,
    automated,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    trustedDomains: trustedDomainsOf(config),
  });
  const { topic, matchedRule, confidence } = classifyTopic(
    {
      subject: mail.subject,
      text: readableText,
      authentication,
      encryption,
      senderKind,
      automated,
      evidence,
    },
    config.rules,
  );
  const cprCount = countCprNumbersInMail(mail.subject, readableText, mail.attachments);
  // Review lane: a possible request gets the general reply, never one that promises a deadline.
  const replyTopic = topic === 'data-subject-request' && confidence === 'low' ? 'general' : topic;
  const decision = decideReply(
    {
      mail,
      envelopeSender: context.envelopeSender,
      envelopeRecipients: context.envelopeRecipients,
      notificationVerdicts: context.verdicts,
      topic: replyTopic,
      senderKind,
      authentication,
      machineReason,
    },
    config,
  );
  // The GDPR clock runs for the mail routed as a request, also while it awaits review.
  const request = topic === 'data-subject-request' ? evidence.request : null;
  const gdpr = request
    ? {
        right: request.right,
        article: GDPR_ARTICLE[request.right],
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
    // Links and numbers from the report itself, not from our own reply quoted back in a follow-up.
    fraud: topic === 'fraud-sms' ? evidence.fraudFacts : null,
    attachments: mail.attachments,
    textPreview: redactedPreview(readableText, config.limits.previewChars),
    autoReply: decision.autoReply,
    parseErrors: mail.parseErrors,
    signals: evidence.signals,
    confidence,
    reference: caseReference(
      context.sesMessageId,
      Number(localDate(context.receivedAt, config.calendar.timeZone).slice(0, 4)),
    ),
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
          gdpr: template === 'data-subject-request' ? gdpr : null,
          reference: record.reference,
          forwarded: (config.forward[topic]?.length ?? 0) > 0,
          receivedAt: record.receivedAt,
        }
      : null;
  // No CPR number leaves in the record: subject, file names, links, every string but addresses.
  // Then, whatever the mail holds, the record fits a queue message and the job passes auto-reply's checks.
  return boundTriageResult({ record: redactRecord(record), replyJob });
}

// One list per configuration, not one per mail: matchesAnyDomain caches a list's parsed
// domains by the list itself.
const trustedDomainLists = new WeakMap<TriageConfig, readonly string[]>();

/** Domains whose links are no lure in a fraud report: our own and the authorities'. */
function trustedDomainsOf(config: TriageConfig): readonly string[] {
  let domains = trustedDomainLists.get(config);
  if (!domains) {
    domains = [...config.ownDomains, ...config.senders.authorityDomains];
    trustedDomainLists.set(config, domains);
  }
  return domains;
}
