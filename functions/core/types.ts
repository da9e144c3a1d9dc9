// The vocabulary of the triage core, defined once. Every id here is a stable contract:
// queues, dashboards and mailbox owners' systems depend on these strings. The queue
// messages built from it (TriageRecord, ReplyJob) are schemas, in queue-messages.ts.

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
