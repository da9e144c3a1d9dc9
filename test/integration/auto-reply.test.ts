import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAddress } from '../../functions/auto-reply/auto-reply.js';
import { autoReplyHandlerFrom } from '../../functions/auto-reply/from-environment.js';
import type { ReplyJob } from '../../functions/core/queue-messages.js';
import { ENV } from '../../functions/runtime/environment.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { receiveInbound } from '../../local/ses-inbound.js';
import { fixture } from '../support/fixtures.js';
import { addFields, removeFields } from '../support/mail-variants.js';
import { replyJob } from '../support/reply-job.js';
import { capturedOutput, captureHandlerOutput, emf, type Pipeline, startPipeline } from './harness.js';
import { assertNoPersonalData } from './personal-data.js';

// The auto-reply function against the emulators: the real reply log in DynamoDB
// (dynalite), the real replies queue (fauxqs, per-message delays included), the real SES
// client. Caps are small so a handful of jobs reaches them: 2 per domain, 3 in all.

let pipeline: Pipeline;
let restoreOutput: () => void;

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startPipeline({ configOverrides: { reply: { domainHourlyCap: 2, hourlyCap: 3 } } });
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

const repliesUrl = () => pipeline.queueUrl(QUEUE_NAMES.replies);

/** An auto-reply handler whose clock the test sets. */
function autoReplyAt(now: () => Date) {
  return autoReplyHandlerFrom(pipeline.resources.functionEnv, pipeline.clients, now);
}

function job(sesMessageId: string, to: string, extra: Partial<ReplyJob> = {}): ReplyJob {
  return replyJob({
    sesMessageId,
    to,
    subject: 'Spørgsmål',
    inReplyTo: null,
    references: [],
    reference: 'SSI-DB-2027-4K7QM-2XP9C',
    receivedAt: '2027-01-01T09:00:00Z',
    ...extra,
  });
}

async function enqueue(...jobs: ReplyJob[]): Promise<void> {
  for (const body of jobs) {
    await pipeline.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: repliesUrl(), MessageBody: JSON.stringify(body) }),
    );
  }
}

async function repliesTo(address: string): Promise<number> {
  return (await pipeline.emulators.sentMail()).filter(
    (mail) =>
      mail.envelope?.source === 'ssidatabeskyttelse@ssi.dk' && mail.envelope.destinations.includes(address),
  ).length;
}

async function delayedReplies(): Promise<number> {
  const { Attributes = {} } = await pipeline.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: repliesUrl(),
      AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
}

async function replyLogItem(address: string) {
  const salt = pipeline.resources.functionEnv[ENV.replySalt] ?? '';
  const { Item } = await pipeline.clients.dynamodb.send(
    new GetItemCommand({
      TableName: pipeline.resources.tables.replyLog,
      Key: { pk: { S: `sender#${hashAddress(address, salt)}` } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('one reply per sender per window, however the address is spelled', () => {
  it('answers the first of three mails from one Gmail account spelled three ways, and not the others', async () => {
    await pipeline.emulators.clearSentMail();
    const spellings = ['anna.lind@gmail.com', 'Anna.Lind+ssi@googlemail.com', 'annalind@gmail.com'];
    for (const envelopeSender of spellings)
      await pipeline.receive('general-question-en.eml', { envelopeSender });
    await pipeline.run('intake');
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(3);
    const before = capturedOutput.length;

    await pipeline.run(
      'autoReply',
      autoReplyAt(() => new Date('2027-01-04T10:00:00Z')),
    );

    const sent = (await pipeline.emulators.sentMail()).filter(
      (mail) => mail.envelope?.source === 'ssidatabeskyttelse@ssi.dk',
    );
    expect(sent).toHaveLength(1);
    expect(
      emf(capturedOutput.slice(before), 'RepliesSuppressed').filter(
        (m) => m.reason === 'duplicate-within-window',
      ),
    ).toHaveLength(2);
    // One item in the reply log, found under every spelling.
    const items = await Promise.all(spellings.map(replyLogItem));
    expect(items.map((item) => item?.status?.S)).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(items.map((item) => item?.pk?.S)).size).toBe(1);
    await pipeline.take(QUEUE_NAMES.topic('general'));
  });
});

describe('the hourly caps delay replies rather than drop them', () => {
  it('answers two senders of one domain and one of another, and queues the third of the first domain again with a delay', async () => {
    await pipeline.emulators.clearSentMail();
    let now = new Date('2027-02-01T10:59:57Z');
    const autoReply = autoReplyAt(() => now);
    await enqueue(
      job('cap-1', 'a@flood-citizens.dk'),
      job('cap-2', 'b@flood-citizens.dk'),
      job('cap-3', 'c@mail.flood-citizens.dk'),
      job('cap-4', 'peter.nielsen@icloud.com'),
    );
    const before = capturedOutput.length;

    await pipeline.run('autoReply', autoReply);

    expect(await repliesTo('a@flood-citizens.dk')).toBe(1);
    expect(await repliesTo('b@flood-citizens.dk')).toBe(1);
    expect(await repliesTo('peter.nielsen@icloud.com')).toBe(1);
    expect(await repliesTo('c@mail.flood-citizens.dk')).toBe(0);
    // Nothing was dropped: the third waits on the queue, delayed until just past the hour.
    expect(await delayedReplies()).toBe(1);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
    expect(await replyLogItem('c@mail.flood-citizens.dk')).toBeUndefined();
    const lines = capturedOutput.slice(before);
    expect(emf(lines, 'RepliesDeferred')).toEqual([
      expect.objectContaining({ cap: 'domain', RepliesDeferred: 1 }),
    ]);
    expect(emf(lines, 'RepliesSuppressed')).toEqual([]);

    // Four seconds later, in the next hour: the retry (its own idempotency key) is answered.
    await sleep(4_500);
    now = new Date('2027-02-01T11:00:02Z');
    const { received } = await pipeline.run('autoReply', autoReply);
    expect(received).toBe(1);
    expect(await repliesTo('c@mail.flood-citizens.dk')).toBe(1);
    expect(await delayedReplies()).toBe(0);
  });

  it('queues a reply again when the global cap is reached, and carries the try count and the first try’s time', async () => {
    await pipeline.emulators.clearSentMail();
    const now = new Date('2027-03-01T10:59:58Z');
    await enqueue(
      job('global-1', 'one@first-domain.dk'),
      job('global-2', 'two@second-domain.dk'),
      job('global-3', 'three@third-domain.dk'),
    );
    await pipeline.run(
      'autoReply',
      autoReplyAt(() => now),
    );
    await enqueue(job('global-4', 'four@fourth-domain.dk'));
    await pipeline.run(
      'autoReply',
      autoReplyAt(() => now),
    );

    expect(await repliesTo('four@fourth-domain.dk')).toBe(0);
    expect(await delayedReplies()).toBe(1);
    await sleep(3_500);
    const { Messages = [] } = await pipeline.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: repliesUrl(), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([
      { ...job('global-4', 'four@fourth-domain.dk'), retry: { attempt: 2, firstTriedAt: now.toISOString() } },
    ]);
    for (const message of Messages) {
      await pipeline.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: repliesUrl(), ReceiptHandle: message.ReceiptHandle }),
      );
    }
  });

  it('gives a reply up as hourly-cap when its next try would come more than 24 hours after its first', async () => {
    await pipeline.emulators.clearSentMail();
    // The global cap of 2027-03-01T10 is used up by the test before.
    const now = new Date('2027-03-01T10:59:58Z');
    const firstTriedAt = new Date(now.getTime() - 24 * 3_600_000 + 1_000).toISOString();
    await enqueue(job('late-1', 'late@fifth-domain.dk', { retry: { attempt: 97, firstTriedAt } }));
    const before = capturedOutput.length;

    await pipeline.run(
      'autoReply',
      autoReplyAt(() => now),
    );

    expect(await repliesTo('late@fifth-domain.dk')).toBe(0);
    expect(await delayedReplies()).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies, true)).toBe(0);
    expect(emf(capturedOutput.slice(before), 'RepliesSuppressed')).toEqual([
      expect.objectContaining({ reason: 'hourly-cap', RepliesSuppressed: 1 }),
    ]);
  });
});

describe('intake’s reply decisions on SES notifications', () => {
  const target = () => ({
    s3: pipeline.clients.s3,
    sns: pipeline.clients.sns,
    bucket: pipeline.resources.bucket,
    topicArn: pipeline.resources.mailTopicArn,
  });

  it('routes a forged sender’s mail and does not answer it', async () => {
    const id = await pipeline.receive('forged-sender-spf-softfail.eml', {
      envelopeSender: 'karin.mortensen@gmail.com',
    });
    await pipeline.run('intake');
    const records = await pipeline.takeRecords(QUEUE_NAMES.topic('data-subject-request'));
    expect(records.map((record) => [record.sesMessageId, record.autoReply.reason])).toEqual([
      [id, 'unauthenticated-sender'],
    ]);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
  });

  it('reads our envelope recipients from SES’s receipt.recipients (RFC 5230 §4.5)', async () => {
    const toAlias = addFields(
      removeFields(fixture('general-question-da.eml'), 'to'),
      'sender',
      'To: Persondata <persondata@ssi.dk>',
    );
    const received = async (recipients: string[]) =>
      receiveInbound({ raw: toAlias, envelopeSender: 'peter.nielsen@icloud.com', recipients }, target());
    const ours = await received(['persondata@ssi.dk']);
    const bcc = await received(['ssidatabeskyttelse@ssi.dk']);
    await pipeline.run('intake');
    const records = await pipeline.takeRecords(QUEUE_NAMES.topic('general'));
    const reasons = Object.fromEntries(
      records.map((record) => [record.sesMessageId, record.autoReply.reason]),
    );
    expect(reasons).toEqual({ [ours]: 'eligible', [bcc]: 'not-addressed-to-us' });
    await pipeline.take(QUEUE_NAMES.replies);
  });
});

describe('logs', () => {
  it('hold no address, subject, name or CPR number of any mail', async () => {
    await assertNoPersonalData(capturedOutput);
  });
});
