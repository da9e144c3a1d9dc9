import { type AddressInfo, createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  ConditionalCheckFailedException,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig, type Emulators, PortInUse, startEmulators } from '../../local/emulators.js';
import { createQueue, createTable } from '../../local/provision.js';

let emulators: Emulators;
let s3: S3Client;
let sqs: SQSClient;
let sns: SNSClient;
let ses: SESClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  emulators = await startEmulators();
  s3 = new S3Client(awsClientConfig(emulators, 's3'));
  sqs = new SQSClient(awsClientConfig(emulators, 'sqs'));
  sns = new SNSClient(awsClientConfig(emulators, 'sns'));
  ses = new SESClient(awsClientConfig(emulators, 'ses'));
  dynamodb = new DynamoDBClient(awsClientConfig(emulators, 'dynamodb'));
});

afterAll(async () => {
  for (const client of [s3, sqs, sns, ses, dynamodb]) client?.destroy();
  await emulators?.stop();
  await emulators?.stop();
});

async function receive(queueUrl: string, waitTimeSeconds = 0): Promise<Message[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      WaitTimeSeconds: waitTimeSeconds,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return Messages ?? [];
}

describe('local emulators', () => {
  it('serves S3, SQS and SNS on one loopback endpoint and SES and DynamoDB on their own', () => {
    expect(emulators.region).toBe('eu-west-1');
    expect(emulators.endpoints.s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.endpoints.sqs).toBe(emulators.endpoints.s3);
    expect(emulators.endpoints.sns).toBe(emulators.endpoints.s3);
    expect(emulators.endpoints.ses).not.toBe(emulators.endpoints.s3);
    expect(emulators.endpoints.dynamodb).not.toBe(emulators.endpoints.ses);
    expect(emulators.sesWebUrl).toBe(`${emulators.endpoints.ses}/`);
    expect(awsClientConfig(emulators, 's3').forcePathStyle).toBe(true);
    expect(awsClientConfig(emulators, 'sqs')).not.toHaveProperty('forcePathStyle');
  });

  it('stores an S3 object from a stream and streams it back', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mail' }));
    const raw = Buffer.from('Subject: hej\r\n\r\nbody æøå\r\n');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'mail',
        Key: 'raw/ses-1',
        Body: Readable.from([raw.subarray(0, 10), raw.subarray(10)]),
        ContentLength: raw.length,
      }),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: 'mail', Key: 'raw/ses-1' }));
    expect(object.ContentLength).toBe(raw.length);
    const chunks: Buffer[] = [];
    for await (const chunk of object.Body as Readable) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(raw)).toBe(true);
  });

  it('delivers an SNS notification to a subscribed SQS queue in the SNS envelope', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'inbound' }));
    const queue = await createQueue(sqs, 'intake-envelope');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }));
    const notification = JSON.stringify({ notificationType: 'Received', mail: { messageId: 'ses-2' } });
    await sns.send(new PublishCommand({ TopicArn, Message: notification }));

    const [message] = await receive(queue.url, 1);
    const envelope = JSON.parse(message?.Body ?? '{}');
    expect(envelope).toMatchObject({ Type: 'Notification', TopicArn, Message: notification });
    expect(typeof envelope.MessageId).toBe('string');
    expect(typeof envelope.Timestamp).toBe('string');
    // Real SNS omits Subject when none was given; fauxqs sends null.
    expect(envelope.Subject ?? null).toBeNull();
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await createQueue(sqs, 'intake-dlq');
    const queue = await createQueue(sqs, 'intake-redrive', {
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: 'poison',
      }),
    );

    for (const expectedCount of ['1', '2']) {
      const [message] = await receive(queue.url);
      expect(message?.Attributes?.ApproximateReceiveCount).toBe(expectedCount);
      // Releasing it at once stands in for a failed Lambda invocation.
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: message?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    expect(await receive(queue.url)).toEqual([]);
    const [dead] = await receive(dlq.url);
    expect(dead?.Body).toBe('poison');
  });

  it('hides a received message for the visibility timeout, then shows it again', async () => {
    const queue = await createQueue(sqs, 'intake-visibility', { VisibilityTimeout: '1' });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: 'later',
      }),
    );
    expect(await receive(queue.url)).toHaveLength(1);
    expect(await receive(queue.url)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const [again] = await receive(queue.url);
    expect(again?.Body).toBe('later');
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('records a raw email sent through SES and reads it back from the store', async () => {
    await emulators.clearSentMail();
    const raw = await new MailComposer({
      from: 'Statens Serum Institut <noreply@ssi.dk>',
      to: '"Jensen, Søren" <soren@example.dk>',
      subject: 'Svar: Din henvendelse / Your enquiry',
      text: 'Brug Digital Post.\n\nUse Digital Post.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    })
      .compile()
      .build();
    const { MessageId } = await ses.send(
      new SendRawEmailCommand({
        Source: 'noreply@ssi.dk',
        Destinations: ['soren@example.dk'],
        RawMessage: { Data: raw },
      }),
    );

    const mails = await emulators.sentMail();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail).toMatchObject({
      messageId: MessageId,
      from: [{ address: 'noreply@ssi.dk', name: 'Statens Serum Institut' }],
      to: [{ address: 'soren@example.dk', name: 'Jensen, Søren' }],
      cc: [],
      subject: 'Svar: Din henvendelse / Your enquiry',
      envelope: { source: 'noreply@ssi.dk', destinations: ['soren@example.dk'] },
    });
    expect(mail?.text).toContain('Use Digital Post.');
    expect(mail?.raw).toBe(raw.toString('utf8'));
    expect(mail?.raw).toMatch(/^Auto-Submitted: auto-replied\r$/m);
    expect(Math.abs((mail?.sentAt.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);

    await emulators.clearSentMail();
    expect(await emulators.sentMail()).toEqual([]);
  });

  it('rejects a second conditional PutItem in DynamoDB', async () => {
    await createTable(dynamodb, 'reply-log', 'pk');
    const put = () =>
      dynamodb.send(
        new PutItemCommand({
          TableName: 'reply-log',
          Item: { pk: { S: 'sender#hash' }, expiresAt: { N: '1900000000' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    await put();
    const failure = await put().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
    // dynalite does not return the old item on a failed condition; Powertools then reads it.
    expect((failure as ConditionalCheckFailedException).Item).toBeUndefined();
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: 'reply-log', Key: { pk: { S: 'sender#hash' } } }),
    );
    expect(Item?.expiresAt).toEqual({ N: '1900000000' });
  });

  it('has no UpdateTimeToLive in dynalite and reports TTL as disabled', async () => {
    const update = await dynamodb
      .send(
        new UpdateTimeToLiveCommand({
          TableName: 'reply-log',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    expect(update?.name).toBe('UnknownOperationException');
    const { TimeToLiveDescription } = await dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: 'reply-log' }),
    );
    expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });

  it('runs a Powertools idempotent function once per payload against dynalite', async () => {
    await createTable(dynamodb, 'idempotency', 'id');
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: 'idempotency',
      awsSdkV3Client: dynamodb,
    });
    const config = new IdempotencyConfig({ eventKeyJmesPath: 'sesMessageId', expiresAfterSeconds: 3600 });
    // A handler registers its Lambda context; the in-progress lock then expires with the invocation.
    config.registerLambdaContext({ getRemainingTimeInMillis: () => 30_000 } as Context);
    let runs = 0;
    const triageOnce = makeIdempotent(
      async (notification: { sesMessageId: string }) => {
        runs += 1;
        return { topic: 'fraud-sms', sesMessageId: notification.sesMessageId };
      },
      {
        persistenceStore,
        keyPrefix: 'intake',
        config,
      },
    );

    const first = await triageOnce({ sesMessageId: 'ses-3' });
    const second = await triageOnce({ sesMessageId: 'ses-3' });
    expect(runs).toBe(1);
    expect(second).toEqual(first);
    await triageOnce({ sesMessageId: 'ses-4' });
    expect(runs).toBe(2);
  });
});

describe('startEmulators with a port that is taken', () => {
  let blocker: Server;
  let takenPort: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    takenPort = (blocker.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it.each(['aws', 'ses', 'dynamodb'] as const)('throws PortInUse naming the %s emulator', async (name) => {
    const failure = await startEmulators({ ports: { [name]: takenPort } }).then(
      async (started) => {
        await started.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PortInUse);
    expect(failure).toMatchObject({ emulator: name, port: takenPort, host: '127.0.0.1' });
    expect((failure as PortInUse).message).toContain(String(takenPort));
    expect((failure as PortInUse).message).toContain(`--${name}-port`);
  });
});
