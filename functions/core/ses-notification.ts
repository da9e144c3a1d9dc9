import * as z from 'zod';
import { verdictStatus } from './authentication.js';
import { PermanentFailure } from './errors.js';
import type { Authentication } from './types.js';

// SES's notification of a stored mail, as the intake queue carries it. Not one of our
// queue messages (queue-messages.ts): SES defines it, and we check only what we use. Pure,
// like the parser: intake reads it, and the replay command writes the same format.

/** An SES message id; SES also stores the mail under it, so it is an S3 key part too. */
export const SES_MESSAGE_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** What SES sends when a receipt rule is saved, and the name of the object its S3 action writes then. */
export const SES_SETUP_NOTIFICATION = 'AMAZON_SES_SETUP_NOTIFICATION';

// The SQS message body: an SNS envelope (raw delivery off) around the notification SES
// publishes for its S3 action. Only the fields we use are checked; SES adds more.
const snsEnvelope = z.object({
  Type: z.literal('Notification'),
  Message: z.string(),
});

const verdict = z.object({ status: z.string() }).partial().nullish();

const sesNotification = z.object({
  notificationType: z.literal('Received'),
  mail: z.object({
    timestamp: z.string(),
    messageId: z.string().regex(SES_MESSAGE_ID, 'unexpected SES message id'),
    source: z.string().nullish(),
  }),
  receipt: z.object({
    timestamp: z.string().nullish(),
    /** The envelope recipients this receipt rule received the mail for (RCPT TO). */
    recipients: z.array(z.string().max(320)).max(100).nullish(),
    spamVerdict: verdict,
    virusVerdict: verdict,
    spfVerdict: verdict,
    dkimVerdict: verdict,
    dmarcVerdict: verdict,
    action: z.object({
      type: z.literal('S3'),
      bucketName: z.string().min(1),
      objectKey: z.string().min(1),
    }),
  }),
  /** Set by the replay command: a deliberate second processing of a stored mail. */
  replayId: z.string().max(64).optional(),
});

/** A mail SES received and stored: where it is and what SES found. */
export interface MailArrival {
  sesMessageId: string;
  receivedAt: Date;
  bucket: string;
  key: string;
  envelopeSender: string | undefined;
  /** SES's `receipt.recipients`; undefined when the notification has none (a replay). */
  envelopeRecipients: string[] | undefined;
  verdicts: Partial<Authentication>;
  replayId: string | undefined;
}

/** The body cannot be a mail notification; retrying will not change that. */
export class NotificationInvalid extends PermanentFailure {
  override readonly name = 'NotificationInvalid';
}

/** SES's one-off test message when a rule with an SNS topic is saved; nothing to triage. */
export class SetupNotification extends Error {
  override readonly name = 'SetupNotification';
}

export function readSesNotification(body: string): MailArrival {
  const envelope = snsEnvelope.safeParse(safeJson(body));
  if (!envelope.success) throw new NotificationInvalid('not an SNS notification');
  const message = safeJson(envelope.data.Message) as { notificationType?: unknown } | null;
  if (message?.notificationType === SES_SETUP_NOTIFICATION) throw new SetupNotification('SES setup test');
  const parsed = sesNotification.safeParse(message);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new NotificationInvalid(`not an SES S3-action notification (${fields})`);
  }
  const { mail, receipt } = parsed.data;
  const receivedAt = new Date(mail.timestamp);
  if (Number.isNaN(receivedAt.getTime())) throw new NotificationInvalid('mail.timestamp is not a date');
  const verdicts: Partial<Authentication> = {};
  const pairs = [
    ['spam', receipt.spamVerdict],
    ['virus', receipt.virusVerdict],
    ['spf', receipt.spfVerdict],
    ['dkim', receipt.dkimVerdict],
    ['dmarc', receipt.dmarcVerdict],
  ] as const;
  for (const [name, value] of pairs) if (value?.status) verdicts[name] = verdictStatus(value.status);
  return {
    sesMessageId: mail.messageId,
    receivedAt,
    bucket: receipt.action.bucketName,
    key: receipt.action.objectKey,
    // SES reports the null sender as an empty source.
    envelopeSender:
      mail.source === null || mail.source === undefined ? undefined : mail.source.replace(/^<|>$/g, ''),
    envelopeRecipients: receipt.recipients ?? undefined,
    verdicts,
    replayId: parsed.data.replayId,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
