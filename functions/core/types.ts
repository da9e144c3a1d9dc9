import type { Signal } from './signals.js';

// The vocabulary of the triage core, defined once. Every id here is a stable contract:
// queues, dashboards and mailbox owners' systems depend on these strings.

export const TOPICS = [
  'fraud-sms',
  'data-subject-request',
  'processing-notice',
  'partner',
  'general',
  'quarantine',
] as const;
export type Topic = (typeof TOPICS)[number];

/** How sure a routing decision is: `low` sends a possible request to review, not to a deadline. */
export const CONFIDENCES = ['high', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const SENDER_KINDS = ['citizen', 'authority', 'company', 'unknown'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

export type Encryption = 'none' | 'smime' | 'pgp';

/** SES receipt verdict statuses; `UNKNOWN` when no verdict was available (e.g. the CLI without SES headers). */
export const VERDICT_STATUSES = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED', 'UNKNOWN'] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

export interface Authentication {
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
  spam: VerdictStatus;
  virus: VerdictStatus;
}

export const GDPR_RIGHTS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
] as const;
export type GdprRight = (typeof GDPR_RIGHTS)[number];

/** The GDPR article that grants each right. */
export const GDPR_ARTICLE: Record<GdprRight, number> = {
  access: 15,
  rectification: 16,
  erasure: 17,
  restriction: 18,
  portability: 20,
  objection: 21,
};

/** Dates are ISO calendar dates (YYYY-MM-DD) in Europe/Copenhagen. */
export interface GdprFacts {
  right: GdprRight;
  article: number;
  receivedOn: string;
  dueOn: string;
  extendedDueOn: string;
  extensionNoticeBy: string;
}

export interface Deadlines {
  receivedOn: string;
  dueOn: string;
  extendedDueOn: string;
  extensionNoticeBy: string;
}

export interface Address {
  address: string;
  name: string;
}

export interface AttachmentFact {
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
}

export interface FraudFacts {
  urls: string[];
  phoneNumbers: string[];
}

export const REPLY_TEMPLATES = ['fraud-sms', 'data-subject-request', 'processing-notice', 'general'] as const;
export type ReplyTemplate = (typeof REPLY_TEMPLATES)[number];

/**
 * Why a reply is or is not sent. The stateless reasons come from the reply policy; the
 * last three need state and are decided by the auto-reply function.
 */
export const REPLY_REASONS = [
  'eligible',
  'auto-submitted',
  'precedence-bulk',
  'mailing-list',
  'auto-response-suppressed',
  'delivery-report',
  'null-sender',
  'system-sender',
  'no-reply-sender',
  'own-address',
  'authentication-failed',
  'unauthenticated-sender',
  'out-of-office-subject',
  'loop-detected',
  'not-addressed-to-us',
  'spam-or-virus',
  'partner-topic',
  'quarantine-topic',
  'authority-or-company',
  'missing-reply-address',
  'invalid-reply-address',
  'duplicate-within-window',
  'hourly-cap',
  'permanent-rejection',
  'replies-disabled',
] as const;
export type ReplyReason = (typeof REPLY_REASONS)[number];

export interface AutoReply {
  decision: 'send' | 'suppress';
  reason: ReplyReason;
  template: ReplyTemplate | null;
}

export const SCHEMA_VERSION = 1;

export interface TriageRecord {
  schemaVersion: typeof SCHEMA_VERSION;
  sesMessageId: string;
  receivedAt: string;
  s3: { bucket: string; key: string } | null;
  headerMessageId: string | null;
  from: Address | null;
  replyTo: string | null;
  to: string[];
  cc: string[];
  subject: string;
  language: 'da' | 'en' | 'unknown';
  topic: Topic;
  matchedRule: string;
  senderKind: SenderKind;
  encryption: Encryption;
  signed: boolean;
  authentication: Authentication;
  gdpr: GdprFacts | null;
  pii: { cprCount: number };
  fraud: FraudFacts | null;
  attachments: AttachmentFact[];
  textPreview: string;
  autoReply: AutoReply;
  parseErrors: string[];
  /** The evidence the routing rests on (signals.ts), stable ids. */
  signals: Signal[];
  /** How sure the topic is; a `low` data-subject request is for review and gets no deadline acknowledgement. */
  confidence: Confidence;
  /** The case reference citizens quote and owners file by (case-reference.ts): SSI-DB-2026-4K7QM-2XP9C. */
  reference: string;
  /**
   * Present and true when the record, capped, was still too large for a queue message: lists
   * and the preview were left out (record-limits.ts); the raw mail in `s3` holds everything.
   */
  truncated?: boolean;
}

/** Where a mail came from and when: what SES (or the CLI) knows beyond the bytes. */
export interface ReceiptContext {
  sesMessageId: string;
  receivedAt: Date;
  s3?: { bucket: string; key: string };
  /** Verdicts from the SES notification; when absent they are read from the stored headers. */
  verdicts?: Partial<Authentication>;
  /** The SMTP envelope sender (MAIL FROM); empty string for a null sender `<>`. */
  envelopeSender?: string;
  /**
   * The SMTP envelope recipients (RCPT TO) this copy was received for: SES's
   * `receipt.recipients`. When absent (the CLI, a replay), Delivered-To and X-Original-To
   * stand in (RFC 5230 §4.5).
   */
  envelopeRecipients?: string[];
}

/**
 * Everything needed to compose one auto-reply; what the replies queue carries. It holds
 * no body text from the incoming mail: only the subject, sanitised when composed.
 */
export interface ReplyJob {
  sesMessageId: string;
  /** The one validated address the reply goes to (RFC 3834 §4). */
  to: string;
  template: ReplyTemplate;
  /** The incoming subject, for "Automatisk svar / Automatic reply: …"; sanitised by the composer. */
  subject: string;
  inReplyTo: string | null;
  references: string[];
  cprWarning: boolean;
  gdpr: GdprFacts | null;
  /** The mail's case reference (TriageRecord.reference), which the citizen quotes in Digital Post. */
  reference: string;
  /**
   * Whether the mail is forwarded to owners of its topic (`config.forward[topic]` at intake):
   * the general reply says it was passed on to staff only when this is true.
   */
  forwarded: boolean;
  /** When the incoming mail was received (ISO 8601), for the reply's wording and the reply log. */
  receivedAt: string;
  /**
   * Set when the hourly caps deferred the reply and the job was queued again with a delay:
   * which try this is (2 for the first retry) and when the first try was (ISO 8601).
   * Absent on the job intake queues.
   */
  retry?: { attempt: number; firstTriedAt: string };
}
