import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSesClient, createSqsClient } from '../../functions/adapters/aws-clients.js';
import { hashAddress } from '../../functions/auto-reply/auto-reply.js';
import { autoReplyHandlerFrom } from '../../functions/auto-reply/from-environment.js';
import type { TriageRecord } from '../../functions/core/queue-messages.js';
import { TOPICS } from '../../functions/core/types.js';
import { deliverHandlerFrom } from '../../functions/deliver/from-environment.js';
import { intakeHandlerFrom } from '../../functions/intake/from-environment.js';
import { ENV } from '../../functions/runtime/environment.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { awsClientConfig, type EmulatedService, type SentMail } from '../../local/emulators.js';
import { sesMessageId, sesReceivedNotification } from '../../local/ses-inbound.js';
import { pollOnce, type SqsHandler } from '../../local/sqs-poller.js';
import { fixture } from '../support/fixtures.js';
import {
  FAULT_MESSAGES,
  FaultInjectingHandler,
  failFirst,
  faults,
  noFaults,
  observe,
  type SeenRequest,
  startFailingEndpoint,
} from './fault-injection.js';
import { capturedOutput, captureHandlerOutput, emf, type Pipeline, startPipeline } from './harness.js';
import { assertNoPersonalData } from './personal-data.js';

// Faults injected into real SDK clients, one service at a time, while the rest of the
// pipeline runs on the emulators. The harness's queues move a message to their DLQ after
// three receives, and its poller makes a failed message visible again at once.

const OWNERS = { 'fraud-sms': ['security@ssi.dk'] };

let pipeline: Pipeline;
let restoreOutput: () => void;
const cleanups: Array<() => unknown> = [];

/** What happened to every mail in this file, for the closing "nothing lost, nothing twice". */
const ledger = {
  stored: new Set<string>(),
  routed: new Map<string, number>(),
  deadLettered: [] as string[],
  sent: [] as SentMail[],
};

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startPipeline({ configOverrides: { forward: OWNERS } });
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

beforeEach(async () => {
  // The SES emulator's store is global to the process: keep what was sent, then start empty.
  ledger.sent.push(...(await pipeline.emulators.sentMail()));
  await pipeline.emulators.clearSentMail();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const env = () => pipeline.resources.functionEnv;
const queue = (name: string) => {
  const found = pipeline.resources.queues[name];
  if (!found) throw new Error(`no queue ${name}`);
  return found;
};

/** Client options bound to the emulators, with the given endpoint or handler instead. */
function clientConfig(
  service: EmulatedService,
  overrides: { endpoint?: string; requestHandler?: FaultInjectingHandler; maxAttempts?: number },
) {
  return { ...awsClientConfig(pipeline.emulators, service), maxAttempts: 1, ...overrides };
}

async function failingEndpoint(answer: Parameters<typeof startFailingEndpoint>[0]) {
  const endpoint = await startFailingEndpoint(answer);
  cleanups.push(endpoint.stop);
  return endpoint;
}

/** A request handler over the harness client's own, recording every request and failing some. */
function faultInjector(service: 's3' | 'sqs', plan = noFaults) {
  return new FaultInjectingHandler(pipeline.clients[service].config.requestHandler, plan);
}

async function receive(name: string, envelopeSender = ''): Promise<string> {
  const id = await pipeline.receive(name, { envelopeSender });
  ledger.stored.add(id);
  return id;
}

/** A notification as SES would publish it, for an object that was not written by this call. */
async function notifyOnly(messageId: string, bucket: string, key: string): Promise<void> {
  const { mailTopicArn } = pipeline.resources;
  await pipeline.clients.sns.send(
    new PublishCommand({
      TopicArn: mailTopicArn,
      Subject: 'Amazon SES Email Receipt Notification',
      Message: JSON.stringify(
        sesReceivedNotification(
          { raw: Buffer.alloc(0), envelopeSender: '', recipients: ['ssidatabeskyttelse@ssi.dk'], messageId },
          bucket,
          key,
          mailTopicArn,
        ),
      ),
    }),
  );
}

async function sendToIntake(body: string): Promise<void> {
  await pipeline.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: queue('intake').url, MessageBody: body }),
  );
}

const poll = (name: string, handler: SqsHandler) =>
  pollOnce(pipeline.clients.sqs, queue(name), handler, { retryDelaySeconds: 0 });

/** Takes every TriageRecord off every topic queue. */
async function takeAllRecords(): Promise<TriageRecord[]> {
  const records: TriageRecord[] = [];
  for (const topic of TOPICS) records.push(...(await pipeline.takeRecords(QUEUE_NAMES.topic(topic))));
  for (const record of records) {
    ledger.routed.set(record.sesMessageId, (ledger.routed.get(record.sesMessageId) ?? 0) + 1);
  }
  return records;
}

/** Takes every message off a dead-letter queue, bodies as they are. */
async function takeDeadLetters(name: string = QUEUE_NAMES.intake): Promise<string[]> {
  const url = queue(name).dlqUrl;
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await pipeline.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      bodies.push(message.Body ?? '');
      await pipeline.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
  if (name === QUEUE_NAMES.intake) ledger.deadLettered.push(...bodies);
  return bodies;
}

/** The SES message id a dead-lettered intake body names, if it names one. */
function sesIdIn(body: string): string | undefined {
  try {
    const envelope = JSON.parse(body) as { Message: string };
    return (JSON.parse(envelope.Message) as { mail?: { messageId?: string } }).mail?.messageId;
  } catch {
    return undefined;
  }
}

async function topicDepth(): Promise<number> {
  let depth = 0;
  for (const topic of TOPICS) depth += await pipeline.depth(QUEUE_NAMES.topic(topic));
  return depth;
}

async function repliesTo(address: string, from = pipeline): Promise<SentMail[]> {
  return (await from.emulators.sentMail()).filter(
    (mail) =>
      mail.envelope?.source === 'ssidatabeskyttelse@ssi.dk' && mail.envelope.destinations.includes(address),
  );
}

/** Forwards sent in this test (the store is emptied before each); one fraud mail per test. */
async function forwards(): Promise<SentMail[]> {
  return (await pipeline.emulators.sentMail()).filter(
    (mail) => mail.envelope?.source === 'mailtriage@ssi.dk',
  );
}

/** The sender's item in the reply log (by salted hash), or undefined when there is none. */
async function replyLogEntry(address: string, from = pipeline) {
  const salt = from.resources.functionEnv[ENV.replySalt] ?? '';
  const { Item } = await from.clients.dynamodb.send(
    new GetItemCommand({
      TableName: from.resources.tables.replyLog,
      Key: { pk: { S: `sender#${hashAddress(address, salt)}` } },
      ConsistentRead: true,
    }),
  );
  return Item ? { status: Item.status?.S, rejection: Item.rejection?.S ?? null } : undefined;
}

/** The reply count of the clock hour `at` falls in (the hourly cap's counter). */
async function replyCount(at: Date): Promise<number> {
  const { Item } = await pipeline.clients.dynamodb.send(
    new GetItemCommand({
      TableName: pipeline.resources.tables.replyLog,
      Key: { pk: { S: `cap#${at.toISOString().slice(0, 13)}` } },
      ConsistentRead: true,
    }),
  );
  return Number(Item?.count?.N ?? 0);
}

const isGet = (key: string) => (request: SeenRequest) =>
  request.method === 'GET' && request.path === `/${pipeline.resources.bucket}/${key}`;

describe('S3 faults at intake', () => {
  it('dead-letters a notification whose mail was never stored, after three attempts, and routes its batch-mates', async () => {
    const recorder = faultInjector('s3');
    const intake = observe(
      intakeHandlerFrom(env(), {
        ...pipeline.clients,
        s3: new S3Client(clientConfig('s3', { requestHandler: recorder })),
      }),
    );
    const mates = [
      await receive('partner-breach-notice-authority-da.eml'),
      await receive('newsletter-precedence-bulk.eml'),
    ];
    const ghost = sesMessageId();
    await notifyOnly(ghost, pipeline.resources.bucket, `raw/${ghost}`);

    await pipeline.run('intake', intake.handler);

    const [first, ...retries] = intake.invocations;
    expect(first?.records).toHaveLength(3);
    const ghostRecord = first?.records.find((record) => sesIdIn(record.body) === ghost);
    expect(first?.failed).toEqual([ghostRecord?.messageId]);
    expect(retries.map((invocation) => invocation.failed)).toEqual([
      [ghostRecord?.messageId],
      [ghostRecord?.messageId],
    ]);
    expect(recorder.requests.filter(isGet(`raw/${ghost}`))).toHaveLength(3);

    expect((await takeDeadLetters()).map(sesIdIn)).toEqual([ghost]);
    expect((await takeAllRecords()).map((record) => record.sesMessageId).sort()).toEqual([...mates].sort());
    expect(await pipeline.depth(QUEUE_NAMES.intake)).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
  });

  it('retries a mail S3 throttled (SlowDown) and routes it once, with one reply', async () => {
    const citizen = 'peter.nielsen@icloud.com';
    const id = await receive('general-question-da.eml', citizen);
    const s3 = await failingEndpoint(faults.s3SlowDown);
    const throttled = observe(
      intakeHandlerFrom(env(), {
        ...pipeline.clients,
        s3: new S3Client(clientConfig('s3', { endpoint: s3.url, maxAttempts: 2 })),
      }),
    );

    await poll(QUEUE_NAMES.intake, throttled.handler);
    expect(throttled.invocations[0]?.failed).toHaveLength(1);
    // SlowDown is a throttling error: the SDK tried twice before giving the message back.
    expect(s3.requests.filter(isGet(`raw/${id}`))).toHaveLength(2);
    expect(await topicDepth()).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.intake)).toBe(1);

    await pipeline.runAll();
    const records = await takeAllRecords();
    expect(records.map((record) => record.sesMessageId)).toEqual([id]);
    expect(records[0]?.parseErrors).toEqual([]);
    expect(await repliesTo(citizen)).toHaveLength(1);
  });

  it('retries a mail whose S3 read broke off mid-body instead of routing it cut short', async () => {
    const citizen = 'lars.pedersen.dk@gmail.com';
    const raw = fixture('dsr-access-with-cpr-da.eml');
    const id = await receive('dsr-access-with-cpr-da.eml', citizen);
    const s3 = await failingEndpoint(() => ({
      status: 200,
      headers: {
        'content-type': 'message/rfc822',
        'last-modified': new Date().toUTCString(),
        etag: '"0f343b0931126a20f133d67c2b018a3b"',
      },
      body: raw,
      cutAfterBytes: Math.floor(raw.length / 2),
    }));
    const broken = observe(
      intakeHandlerFrom(env(), {
        ...pipeline.clients,
        s3: new S3Client(clientConfig('s3', { endpoint: s3.url })),
      }),
    );

    await poll(QUEUE_NAMES.intake, broken.handler);
    expect(s3.requests.filter(isGet(`raw/${id}`))).toHaveLength(1);
    expect(broken.invocations[0]?.failed).toHaveLength(1);
    expect(await topicDepth()).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);

    await pipeline.runAll();
    const records = await takeAllRecords();
    expect(records.map((record) => record.sesMessageId)).toEqual([id]);
    expect(records[0]?.parseErrors).toEqual([]);
    expect(records[0]?.pii.cprCount).toBeGreaterThan(0);
    expect(await repliesTo(citizen)).toHaveLength(1);
  });
});

describe('SQS faults at intake', () => {
  const topicQueueUrls = () => new Set(TOPICS.map((topic) => queue(QUEUE_NAMES.topic(topic)).url));
  const isSendTo = (urls: () => Set<string>) => (request: SeenRequest) =>
    request.operation === 'AmazonSQS.SendMessage' && urls().has(request.queueUrl ?? '');

  it('retries a mail whose TriageRecord SQS would not take (503) and replies once', async () => {
    const citizen = 'j.whitfield@outlook.com';
    const id = await receive('fraud-sms-en.eml', citizen);
    const sqs = faultInjector('sqs', (request) =>
      isSendTo(topicQueueUrls)(request) ? faults.sqsUnavailable() : undefined,
    );
    const failing = observe(
      intakeHandlerFrom(env(), {
        ...pipeline.clients,
        sqs: new SQSClient(clientConfig('sqs', { requestHandler: sqs, maxAttempts: 2 })),
      }),
    );

    await poll(QUEUE_NAMES.intake, failing.handler);
    expect(failing.invocations[0]?.failed).toHaveLength(1);
    // The SDK speaks JSON in query-compatible mode, the format the fault answers in.
    expect(sqs.requests.map((request) => [request.operation, request.queryMode])).toEqual([
      ['AmazonSQS.SendMessage', true],
      ['AmazonSQS.SendMessage', true],
    ]);
    expect(await topicDepth()).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.forwards)).toBe(0);

    await pipeline.runAll();
    expect((await takeAllRecords()).map((record) => record.sesMessageId)).toEqual([id]);
    expect(await repliesTo(citizen)).toHaveLength(1);
    expect(await forwards()).toHaveLength(1);
  });

  it('repeats the TriageRecord but not the reply when the reply job could not be queued', async () => {
    const citizen = 'birgitte.holm@hotmail.dk';
    const id = await receive('fraud-sms-encoded-subject-da.eml', citizen);
    const repliesUrl = () => new Set([queue(QUEUE_NAMES.replies).url]);
    // Two failures use up both SDK attempts of the first delivery; the retry gets through.
    const sqs = faultInjector('sqs', failFirst(2, faults.sqsUnavailable, isSendTo(repliesUrl)));
    const flaky = observe(
      intakeHandlerFrom(env(), {
        ...pipeline.clients,
        sqs: new SQSClient(clientConfig('sqs', { requestHandler: sqs, maxAttempts: 2 })),
      }),
    );

    await pipeline.run('intake', flaky.handler);
    expect(flaky.invocations.map((invocation) => invocation.failed.length)).toEqual([1, 0]);
    await pipeline.runAll();

    // At least once: the record published before the failure is published again, with the
    // same SES message id, so consumers can tell; the reply and the forward go out once.
    expect((await takeAllRecords()).map((record) => record.sesMessageId)).toEqual([id, id]);
    expect(await repliesTo(citizen)).toHaveLength(1);
    expect(await forwards()).toHaveLength(1);
  });

  it('rides out three 5xx in a row within one delivery with the adapters’ client settings', async () => {
    const citizen = 'k.andersen@mail.dk';
    const id = await receive('processing-notice-question-da.eml', citizen);
    const sqs = faultInjector('sqs', failFirst(3, faults.sqsUnavailable, isSendTo(topicQueueUrls)));
    const intake = observe(
      intakeHandlerFrom(env(), {
        ...pipeline.clients,
        sqs: createSqsClient({ ...awsClientConfig(pipeline.emulators, 'sqs'), requestHandler: sqs }),
      }),
    );

    await poll(QUEUE_NAMES.intake, intake.handler);
    expect(intake.invocations.map((invocation) => invocation.failed)).toEqual([[]]);
    expect(sqs.requests.filter(isSendTo(topicQueueUrls))).toHaveLength(4);

    await pipeline.runAll();
    expect((await takeAllRecords()).map((record) => record.sesMessageId)).toEqual([id]);
    expect(await repliesTo(citizen)).toHaveLength(1);
  });
});

describe('SES faults', () => {
  it('gives a throttled reply back to the queue, releases the sender’s slot, and sends it once on retry', async () => {
    const citizen = 'anna.lind@gmail.com';
    const hour = new Date();
    const countedBefore = await replyCount(hour);
    await receive('general-question-en.eml', citizen);
    await pipeline.run('intake');
    const ses = await failingEndpoint(faults.sesThrottling);
    const throttled = observe(
      autoReplyHandlerFrom(env(), {
        ses: new SESClient(clientConfig('ses', { endpoint: ses.url, maxAttempts: 2 })),
        dynamodb: pipeline.clients.dynamodb,
      }),
    );

    await poll(QUEUE_NAMES.replies, throttled.handler);
    expect(throttled.invocations[0]?.failed).toHaveLength(1);
    expect(ses.requests.map((request) => request.operation)).toEqual(['SendRawEmail', 'SendRawEmail']);
    expect(await replyLogEntry(citizen)).toBeUndefined();
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(1);
    expect(await repliesTo(citizen)).toHaveLength(0);
    // A throttled try sent nothing, so it does not use up the hour's cap.
    expect(await replyCount(hour)).toBe(countedBefore);

    await pipeline.run('autoReply');
    expect(await repliesTo(citizen)).toHaveLength(1);
    expect(await replyLogEntry(citizen)).toEqual({ status: 'sent', rejection: null });
    if (new Date().getUTCHours() === hour.getUTCHours())
      expect(await replyCount(hour)).toBe(countedBefore + 1);
    await takeAllRecords();
  });

  it('records a permanent rejection once, sends nothing and does not retry', async () => {
    const citizen = 'sarah.k.miller@yahoo.com';
    await receive('dsr-erasure-en.eml', citizen);
    await pipeline.run('intake');
    const ses = await failingEndpoint(() => faults.sesRejected(citizen));
    const rejecting = observe(
      autoReplyHandlerFrom(env(), {
        // The adapters' own client, retries and all: a permanent error must not use them.
        ses: createSesClient({ ...awsClientConfig(pipeline.emulators, 'ses'), endpoint: ses.url }),
        dynamodb: pipeline.clients.dynamodb,
      }),
    );
    const outputBefore = capturedOutput.length;

    await pipeline.run('autoReply', rejecting.handler);
    expect(rejecting.invocations.map((invocation) => invocation.failed)).toEqual([[]]);
    expect(ses.requests).toHaveLength(1);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies, true)).toBe(0);
    expect(await repliesTo(citizen)).toHaveLength(0);
    expect(await replyLogEntry(citizen)).toEqual({ status: 'rejected', rejection: 'MessageRejected' });
    expect(emf(capturedOutput.slice(outputBefore), 'RepliesSuppressed')).toEqual([
      expect.objectContaining({ service: 'auto-reply', reason: 'permanent-rejection', RepliesSuppressed: 1 }),
    ]);
    await takeAllRecords();
  });

  it('forwards once to the owners when SES throttled the first forward', async () => {
    const id = await receive('fraud-sms-forwarded-da.eml', 'mette.sorensen1987@gmail.com');
    await pipeline.run('intake');
    await pipeline.run('autoReply');
    const ses = await failingEndpoint(faults.sesThrottling);
    const throttled = observe(
      deliverHandlerFrom(env(), {
        ...pipeline.clients,
        ses: new SESClient(clientConfig('ses', { endpoint: ses.url })),
      }),
    );

    await poll(QUEUE_NAMES.forwards, throttled.handler);
    expect(throttled.invocations[0]?.failed).toHaveLength(1);
    expect(await forwards()).toHaveLength(0);

    await pipeline.run('deliver');
    const sent = await forwards();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.raw).toContain(`SES message id: ${id}`);
    expect(sent[0]?.envelope?.destinations).toEqual(OWNERS['fraud-sms']);
    await takeAllRecords();
  });
});

describe('a poison record in a batch of ten', () => {
  const NINE = [
    'general-question-da.eml',
    'general-question-en.eml',
    'dsr-erasure-en.eml',
    'dsr-access-with-cpr-da.eml',
    'partner-breach-notice-authority-da.eml',
    'newsletter-precedence-bulk.eml',
    'mailing-list-discussion.eml',
    'processing-notice-question-da.eml',
    'pgp-mime-company.eml',
  ];

  beforeAll(async () => {
    await pipeline.clients.s3.send(new CreateBucketCommand({ Bucket: 'ssi-exports' }));
  });

  const cases: Array<{ poison: string; foreign?: { bucket: string; key: string; storedAt: string } }> = [
    { poison: 'a body that is not JSON' },
    { poison: 'an SNS envelope whose Message is not a notification' },
    {
      poison: 'a notification naming another bucket',
      foreign: { bucket: 'ssi-exports', key: 'raw/', storedAt: 'raw/' },
    },
    {
      poison: 'a notification naming a key outside raw/',
      foreign: { bucket: 'raw-mail', key: 'config/', storedAt: 'config/' },
    },
    {
      poison: 'a notification climbing out of raw/',
      foreign: { bucket: 'raw-mail', key: 'raw/../config/', storedAt: 'config/' },
    },
  ];

  it.each(cases)(
    'fails only $poison, routes the nine once each, and dead-letters it',
    async ({ poison, foreign }) => {
      const recorder = faultInjector('s3');
      const intake = observe(
        intakeHandlerFrom(env(), {
          ...pipeline.clients,
          s3: new S3Client(clientConfig('s3', { requestHandler: recorder })),
        }),
      );
      const nine: string[] = [];
      for (const name of NINE) nine.push(await receive(name));

      const marker = sesMessageId();
      if (!foreign && poison.startsWith('a body')) {
        await sendToIntake(`{"Type":"Notification","Message":"${marker}`);
      } else if (!foreign) {
        await sendToIntake(
          JSON.stringify({ Type: 'Notification', MessageId: marker, Message: `<<${marker}>>` }),
        );
      } else {
        // The object exists: only the check on bucket and prefix keeps intake from reading it.
        await pipeline.clients.s3.send(
          new PutObjectCommand({
            Bucket: foreign.bucket,
            Key: `${foreign.storedAt}${marker}`,
            Body: fixture('general-question-da.eml'),
          }),
        );
        await notifyOnly(marker, foreign.bucket, `${foreign.key}${marker}`);
      }

      await pipeline.run('intake', intake.handler);

      const [first, ...retries] = intake.invocations;
      expect(first?.records).toHaveLength(10);
      const poisonRecord = first?.records.find((record) => record.body.includes(marker));
      expect(first?.failed).toEqual([poisonRecord?.messageId]);
      expect(retries.map((invocation) => invocation.records.map((record) => record.messageId))).toEqual([
        [poisonRecord?.messageId],
        [poisonRecord?.messageId],
      ]);
      expect(retries.every((invocation) => invocation.failed.length === 1)).toBe(true);

      const records = await takeAllRecords();
      expect(records.map((record) => record.sesMessageId).sort()).toEqual([...nine].sort());
      expect(await takeDeadLetters()).toEqual([poisonRecord?.body]);
      expect(await pipeline.depth(QUEUE_NAMES.intake)).toBe(0);

      // Intake read the nine mails it routed and nothing else.
      expect(recorder.requests.map((request) => `${request.method} ${request.path}`).sort()).toEqual(
        nine.map((id) => `GET /${pipeline.resources.bucket}/raw/${id}`).sort(),
      );
    },
  );
});

describe('at the end', () => {
  it('has lost no mail and sent nothing twice', async () => {
    await pipeline.runAll();
    await takeAllRecords();
    await takeDeadLetters();
    for (const name of [QUEUE_NAMES.intake, QUEUE_NAMES.replies, QUEUE_NAMES.forwards]) {
      expect(await pipeline.depth(name), name).toBe(0);
    }
    expect(await takeDeadLetters(QUEUE_NAMES.replies)).toEqual([]);
    expect(await takeDeadLetters(QUEUE_NAMES.forwards)).toEqual([]);

    // Every stored mail reached a topic queue; only the broken notifications are dead letters.
    const unrouted = [...ledger.stored].filter((id) => !ledger.routed.has(id));
    expect(unrouted).toEqual([]);
    expect(
      ledger.deadLettered.map(sesIdIn).filter((id) => id !== undefined && ledger.stored.has(id)),
    ).toEqual([]);
    // The notification for a mail never stored, and the five poison records.
    expect(ledger.deadLettered).toHaveLength(1 + 5);

    const sent = [...ledger.sent, ...(await pipeline.emulators.sentMail())];
    const messageIds = sent.map((mail) => /^Message-ID:\s*(\S+)/im.exec(mail.raw ?? '')?.[1]);
    expect(messageIds.every(Boolean)).toBe(true);
    expect(messageIds.filter((id, i) => messageIds.indexOf(id) !== i)).toEqual([]);
    // One reply to each citizen who wrote, none to the address SES rejected; one forward per fraud mail.
    const replyRecipients = sent
      .filter((mail) => mail.envelope?.source === 'ssidatabeskyttelse@ssi.dk')
      .flatMap((mail) => mail.envelope?.destinations ?? []);
    expect(replyRecipients.sort()).toEqual(
      [
        'anna.lind@gmail.com',
        'birgitte.holm@hotmail.dk',
        'j.whitfield@outlook.com',
        'k.andersen@mail.dk',
        'lars.pedersen.dk@gmail.com',
        'mette.sorensen1987@gmail.com',
        'peter.nielsen@icloud.com',
      ].sort(),
    );
    expect(sent.filter((mail) => mail.envelope?.source === 'mailtriage@ssi.dk')).toHaveLength(3);
  });
});

describe('the hourly cap', () => {
  let capped: Pipeline;

  beforeAll(async () => {
    capped = await startPipeline({ configOverrides: { reply: { hourlyCap: 2 } } });
  });

  afterAll(async () => {
    await capped?.stop();
  });

  it('answers two of five citizens within the hour and queues three again with a delay, dropping none', async () => {
    const citizens = [
      ['general-question-da.eml', 'peter.nielsen@icloud.com'],
      ['general-question-en.eml', 'anna.lind@gmail.com'],
      ['fraud-sms-en.eml', 'j.whitfield@outlook.com'],
      ['dsr-erasure-en.eml', 'sarah.k.miller@yahoo.com'],
      ['processing-notice-question-da.eml', 'k.andersen@mail.dk'],
    ] as const;
    for (const [name, address] of citizens) await capped.receive(name, { envelopeSender: address });
    await capped.run('intake');
    expect(await capped.depth(QUEUE_NAMES.replies)).toBe(5);
    const outputBefore = capturedOutput.length;

    await capped.run('autoReply');

    const answered: string[] = [];
    for (const [, address] of citizens) {
      const replies = await repliesTo(address, capped);
      expect(replies.length).toBeLessThanOrEqual(1);
      if (replies.length === 1) answered.push(address);
    }
    expect(answered).toHaveLength(2);
    const lines = capturedOutput.slice(outputBefore);
    expect(emf(lines, 'RepliesSuppressed').filter((metric) => metric.reason === 'hourly-cap')).toHaveLength(
      0,
    );
    expect(emf(lines, 'RepliesDeferred')).toHaveLength(3);
    const tripped = emf(lines, 'ReplyCapTripped').flatMap(
      (metric) => metric.ReplyCapTripped as number | number[],
    );
    expect(tripped.reduce((sum, value) => sum + value, 0)).toBe(3);
    // The three not answered keep no slot in the reply log: their next mail can be answered.
    for (const [, address] of citizens) {
      expect(await replyLogEntry(address, capped)).toEqual(
        answered.includes(address) ? { status: 'sent', rejection: null } : undefined,
      );
    }
    expect(await capped.depth(QUEUE_NAMES.replies)).toBe(0);
    const { Attributes = {} } = await capped.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: capped.queueUrl(QUEUE_NAMES.replies),
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(Number(Attributes.ApproximateNumberOfMessagesDelayed)).toBe(3);
  });
});

describe('logs', () => {
  it('name each failure by its error code, with no personal data and no SDK error message', async () => {
    const errorNames = new Set(
      capturedOutput
        .filter((line) => line.includes('"level":"ERROR"'))
        .map((line) => JSON.parse(line) as { errorName?: string; errorCode?: string })
        .map((entry) => `${entry.errorName}/${entry.errorCode ?? ''}`),
    );
    const permanence = new Map(
      capturedOutput
        .filter((line) => line.includes('"level":"ERROR"'))
        .map((line) => JSON.parse(line) as { errorName?: string; permanent?: boolean })
        .map((entry) => [entry.errorName, entry.permanent]),
    );
    // Retrying cannot mend these; throttling and broken connections can mend themselves.
    expect(Object.fromEntries(permanence)).toEqual({
      Error: false,
      ForeignObject: true,
      MailNotFound: true,
      NotificationInvalid: true,
      ServiceUnavailable: false,
      SlowDown: false,
      Throttling: false,
    });
    expect([...errorNames].sort()).toEqual([
      'Error/ECONNRESET',
      'ForeignObject/',
      'MailNotFound/',
      'NotificationInvalid/',
      'ServiceUnavailable/ServiceUnavailable',
      'SlowDown/SlowDown',
      'Throttling/Throttling',
    ]);
    const messages = [
      FAULT_MESSAGES.s3SlowDown,
      FAULT_MESSAGES.sqsUnavailable,
      FAULT_MESSAGES.sesThrottling,
      'Email address is not verified',
      'The specified key does not exist',
    ];
    expect(capturedOutput.filter((line) => messages.some((message) => line.includes(message)))).toEqual([]);
    await assertNoPersonalData(capturedOutput);
  });
});
