import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { HeadObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { isS3NotFound } from '../adapters/s3-mail-store.js';
import { SES_MESSAGE_ID, SES_SETUP_NOTIFICATION } from '../core/ses-notification.js';
import { ENV, RAW_PREFIX } from '../runtime/environment.js';
import { safeError } from '../runtime/observability.js';
import { parseIsoDateTime } from './iso-date.js';

// Recovery after a fix: mails are durable in S3, so any of them can be put through intake
// again. Each goes to the intake queue as the SNS-wrapped notification SES would have sent,
// with no verdicts (triage reads the X-SES-* headers stored with the mail) and a replay id,
// which gives the run its own idempotency key at intake. Replies and forwards keep theirs
// (per SES message id), so a replay routes again but never answers or forwards twice.

/** The intake queue's URL: the functions never need it, only this command does. */
export const INTAKE_QUEUE_ENV = 'INTAKE_QUEUE_URL';

const USAGE = `usage: replay --id SES_MESSAGE_ID [--id SES_MESSAGE_ID ...] [options]
       replay --since ISO-8601 [--until ISO-8601] [options]
Re-enqueues stored mails into the intake queue: by SES message id, or every mail stored
from --since (inclusive) until --until (exclusive, default now).
options: --bucket NAME      raw-mail bucket (default $${ENV.rawBucket})
         --queue-url URL    intake queue (default $${INTAKE_QUEUE_ENV})
         --replay-id ID     reuse a replay id, to resume an interrupted run
         --dry-run          list what would be replayed, send nothing`;

const REPLAY_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Replayed notifications never came through SNS; the envelope says where they came from. */
export const REPLAY_TOPIC_ARN = 'urn:mail-triage:replay';

/** A problem with the command line or the input that the user can fix: exit code 2. */
export class ReplayUsageError extends Error {
  override readonly name = 'ReplayUsageError';
}

/** One or more ids name no stored mail: nothing is replayed, exit code 2. */
export class UnknownMail extends Error {
  override readonly name = 'UnknownMail';
  constructor(
    readonly ids: string[],
    location: string,
  ) {
    super(`no stored mail with SES message id ${ids.map((id) => `'${id}'`).join(', ')} in ${location}`);
  }
}

export interface ReplayRequest {
  selection: { ids: string[] } | { since: Date; until: Date };
  bucket: string;
  prefix: string;
  queueUrl: string;
  replayId: string | undefined;
  dryRun: boolean;
}

/** A mail as stored by SES's S3 action. */
export interface StoredMail {
  sesMessageId: string;
  key: string;
  storedAt: Date;
}

export interface ReplayDeps {
  s3: S3Client;
  sqs: SQSClient;
  now?: () => Date;
}

export interface ReplayIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** The command: prints one line per mail (ids only, never subjects or addresses) and a count. */
export async function runReplay(
  argv: string[],
  env: Record<string, string | undefined>,
  deps: ReplayDeps,
  io: ReplayIo,
): Promise<number> {
  const now = deps.now ?? (() => new Date());
  try {
    const request = readReplayArgs(argv, env, now());
    const mails = await findStoredMails(request, deps.s3);
    if (mails.length === 0 && 'since' in request.selection) {
      const { since, until } = request.selection;
      io.stdout(`no stored mails from ${since.toISOString()} until ${until.toISOString()}`);
      return 0;
    }
    if (request.dryRun) {
      for (const mail of mails) io.stdout(`would replay ${mail.sesMessageId}`);
      io.stdout(`${count(mails.length)} would be replayed (dry run, nothing sent)`);
      return 0;
    }
    const replayId = request.replayId ?? newReplayId(now());
    const { sent, failed } = await enqueue(mails, request, replayId, deps.sqs, now());
    for (const id of sent) io.stdout(`replayed ${id}`);
    for (const { id, code } of failed) io.stderr(`replay: could not enqueue ${id} (${code})`);
    io.stdout(`${count(sent.length)} replayed (replay id ${replayId})`);
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ReplayUsageError || error instanceof UnknownMail) {
      io.stderr(`replay: ${error.message}`);
      return 2;
    }
    // AWS errors are named, never quoted: their messages can carry more than ids.
    const { errorName, errorCode, httpStatus } = safeError(error);
    const detail = [errorCode, httpStatus ? `HTTP ${httpStatus}` : undefined].filter(Boolean).join(', ');
    io.stderr(`replay: failed (${errorName}${detail ? `: ${detail}` : ''})`);
    return 1;
  }
}

export function readReplayArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  now: Date,
): ReplayRequest {
  let values: ReturnType<typeof parseCli>['values'];
  try {
    ({ values } = parseCli(argv));
  } catch (error) {
    throw new ReplayUsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const ids = [...new Set(values.id ?? [])];
  const byRange = values.since !== undefined || values.until !== undefined;
  if (ids.length > 0 && byRange)
    throw new ReplayUsageError(`give --id or --since/--until, not both\n${USAGE}`);
  if (ids.length === 0 && values.since === undefined) {
    throw new ReplayUsageError(`give --id or --since\n${USAGE}`);
  }
  for (const id of ids) {
    if (!SES_MESSAGE_ID.test(id)) throw new ReplayUsageError(`--id: not an SES message id: '${id}'`);
  }
  if (values['replay-id'] !== undefined && !REPLAY_ID.test(values['replay-id'])) {
    throw new ReplayUsageError('--replay-id: 1 to 64 letters, digits or . _ : -');
  }

  const bucket = values.bucket ?? env[ENV.rawBucket];
  if (!bucket) throw new ReplayUsageError(`no bucket: give --bucket or set ${ENV.rawBucket}`);
  const queueUrl = values['queue-url'] ?? env[INTAKE_QUEUE_ENV];
  if (!queueUrl) throw new ReplayUsageError(`no intake queue: give --queue-url or set ${INTAKE_QUEUE_ENV}`);

  let selection: ReplayRequest['selection'] = { ids };
  if (ids.length === 0) {
    const since = isoDate('--since', values.since ?? '');
    const until = values.until === undefined ? now : isoDate('--until', values.until);
    if (since >= until) throw new ReplayUsageError('--since must be before --until');
    selection = { since, until };
  }
  return {
    selection,
    bucket,
    prefix: env[ENV.rawPrefix] ?? RAW_PREFIX,
    queueUrl,
    replayId: values['replay-id'],
    dryRun: values['dry-run'] ?? false,
  };
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      id: { type: 'string', multiple: true },
      since: { type: 'string' },
      until: { type: 'string' },
      bucket: { type: 'string' },
      'queue-url': { type: 'string' },
      'replay-id': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
}

function isoDate(option: string, value: string): Date {
  try {
    return parseIsoDateTime(option, value);
  } catch (error) {
    throw new ReplayUsageError((error as Error).message);
  }
}

/**
 * The stored mails a request names, oldest first. Ids are all checked before anything is
 * sent, so a typo replays nothing; a range lists the prefix and filters on LastModified.
 */
export async function findStoredMails(request: ReplayRequest, s3: S3Client): Promise<StoredMail[]> {
  const { bucket, prefix, selection } = request;
  if ('ids' in selection) {
    const found: StoredMail[] = [];
    const unknown: string[] = [];
    for (const sesMessageId of selection.ids) {
      const key = `${prefix}${sesMessageId}`;
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        found.push({ sesMessageId, key, storedAt: head.LastModified ?? new Date() });
      } catch (error) {
        if (!isS3NotFound(error)) throw error;
        unknown.push(sesMessageId);
      }
    }
    if (unknown.length > 0) throw new UnknownMail(unknown, `s3://${bucket}/${prefix}`);
    return found;
  }

  const mails: StoredMail[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      const sesMessageId = key.slice(prefix.length);
      const storedAt = object.LastModified;
      if (!storedAt || !SES_MESSAGE_ID.test(sesMessageId) || sesMessageId === SES_SETUP_NOTIFICATION)
        continue;
      if (storedAt >= selection.since && storedAt < selection.until)
        mails.push({ sesMessageId, key, storedAt });
    }
  }
  return mails.sort(
    (a, b) => a.storedAt.getTime() - b.storedAt.getTime() || a.sesMessageId.localeCompare(b.sesMessageId),
  );
}

/** The SQS body SNS would deliver for SES's notification of this mail (raw delivery off). */
export function replayMessage(mail: StoredMail, bucket: string, replayId: string, now: Date): string {
  const notification = {
    notificationType: 'Received',
    // No source: the envelope sender is not stored; the reply policy falls back to Return-Path.
    mail: { timestamp: mail.storedAt.toISOString(), messageId: mail.sesMessageId },
    receipt: { action: { type: 'S3', bucketName: bucket, objectKey: mail.key } },
    replayId,
  };
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: REPLAY_TOPIC_ARN,
    Subject: 'Amazon SES Email Receipt Notification',
    Message: JSON.stringify(notification),
    Timestamp: now.toISOString(),
  });
}

async function enqueue(
  mails: StoredMail[],
  request: ReplayRequest,
  replayId: string,
  sqs: SQSClient,
  now: Date,
): Promise<{ sent: string[]; failed: Array<{ id: string; code: string }> }> {
  const sent: string[] = [];
  const failed: Array<{ id: string; code: string }> = [];
  // SendMessageBatch takes at most ten entries.
  for (let start = 0; start < mails.length; start += 10) {
    const batch = mails.slice(start, start + 10);
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: request.queueUrl,
        Entries: batch.map((mail, i) => ({
          Id: String(i),
          MessageBody: replayMessage(mail, request.bucket, replayId, now),
        })),
      }),
    );
    const failures = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry.Code ?? 'unknown']));
    batch.forEach((mail, i) => {
      const code = failures.get(String(i));
      if (code === undefined) sent.push(mail.sesMessageId);
      else failed.push({ id: mail.sesMessageId, code });
    });
  }
  return { sent, failed };
}

/** Sortable and readable in intake's logs: replay-20260503T101500Z-3f9a1c. */
export function newReplayId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `replay-${stamp}-${randomBytes(3).toString('hex')}`;
}

function count(n: number): string {
  return n === 1 ? '1 mail' : `${n} mails`;
}
