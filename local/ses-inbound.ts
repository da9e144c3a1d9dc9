import { randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { readAuthentication } from '../functions/core/authentication.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { parseMail } from '../functions/core/parse.js';
import type { Authentication, VerdictStatus } from '../functions/core/types.js';
import { RAW_PREFIX } from '../functions/runtime/environment.js';

// What SES inbound does for a receipt rule with an S3 action: store the raw mail under
// raw/<messageId>, then publish a "Received" notification to the rule's SNS topic. The
// local pipeline and the integration tests use this to stand in for SES.

export interface InboundMail {
  raw: Buffer;
  /** SMTP MAIL FROM; '' for the null sender. */
  envelopeSender: string;
  recipients: string[];
  receivedAt?: Date;
  verdicts?: Partial<Authentication>;
  messageId?: string;
}

export interface InboundTarget {
  s3: S3Client;
  sns: SNSClient;
  bucket: string;
  topicArn: string;
  /** Whose Authentication-Results a stored mail's verdicts are read from; SES's by default. */
  receivingHost?: string;
}

/** An id shaped like SES's: 40 lower-case base-32 characters. */
export function sesMessageId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(40), (byte) => alphabet[byte % 32]).join('');
}

export async function receiveInbound(mail: InboundMail, target: InboundTarget): Promise<string> {
  const messageId = mail.messageId ?? sesMessageId();
  // SES's notification and the headers it writes into the stored mail tell the same story:
  // verdicts not given are the ones the mail's own SES headers carry (the samples have them).
  const verdicts = {
    ...(await carriedVerdicts(mail.raw, target.receivingHost ?? DEFAULT_CONFIG.receivingHost)),
    ...mail.verdicts,
  };
  const key = `${RAW_PREFIX}${messageId}`;
  await target.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: mail.raw }));
  await target.sns.send(
    new PublishCommand({
      TopicArn: target.topicArn,
      Subject: 'Amazon SES Email Receipt Notification',
      Message: JSON.stringify(
        sesReceivedNotification({ ...mail, messageId, verdicts }, target.bucket, key, target.topicArn),
      ),
    }),
  );
  return messageId;
}

/** The notification SES publishes for an S3 action (the fields documented by AWS). */
export function sesReceivedNotification(
  mail: InboundMail & { messageId: string },
  bucket: string,
  key: string,
  topicArn: string,
) {
  const timestamp = (mail.receivedAt ?? new Date()).toISOString();
  const verdict = (name: keyof Authentication, fallback: string) => ({
    status: mail.verdicts?.[name] ?? fallback,
  });
  return {
    notificationType: 'Received',
    mail: {
      timestamp,
      source: mail.envelopeSender,
      messageId: mail.messageId,
      destination: mail.recipients,
      headersTruncated: false,
    },
    receipt: {
      timestamp,
      processingTimeMillis: 1,
      recipients: mail.recipients,
      spamVerdict: verdict('spam', 'PASS'),
      virusVerdict: verdict('virus', 'PASS'),
      spfVerdict: verdict('spf', 'GRAY'),
      dkimVerdict: verdict('dkim', 'GRAY'),
      dmarcVerdict: verdict('dmarc', 'GRAY'),
      action: { type: 'S3', topicArn, bucketName: bucket, objectKeyPrefix: RAW_PREFIX, objectKey: key },
    },
  };
}

/**
 * The verdicts SES wrote into a stored mail's headers (the topmost X-SES-* headers and
 * its own Authentication-Results); those it carries none of are left out.
 */
export async function carriedVerdicts(raw: Buffer, receivingHost: string): Promise<Partial<Authentication>> {
  const head = raw.subarray(0, 64 * 1024);
  const mail = await parseMail(head, { maxMailBytes: head.length || 1, maxTextChars: 1_000 });
  const found = readAuthentication(mail.headerLines, receivingHost);
  const verdicts: Partial<Authentication> = {};
  for (const [name, status] of Object.entries(found) as Array<[keyof Authentication, VerdictStatus]>) {
    if (status !== 'UNKNOWN') verdicts[name] = status;
  }
  return verdicts;
}
