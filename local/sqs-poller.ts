import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

// A stand-in for Lambda's SQS event source: receive a batch, invoke the handler with a
// real SQSEvent, delete what succeeded, leave the failures (batchItemFailures) to come
// back after their visibility timeout — and so, after maxReceiveCount, to the DLQ.

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface QueueRef {
  url: string;
  arn: string;
}

export interface PollOptions {
  batchSize?: number;
  waitTimeSeconds?: number;
  /** When set, failed messages are made visible again after this many seconds (tests). */
  retryDelaySeconds?: number;
  functionName?: string;
  /** Ends a waiting receive at once (a stopping poller); a batch already received still runs. */
  abortSignal?: AbortSignal;
}

export interface PollResult {
  received: number;
  failed: number;
}

export async function pollOnce(
  sqs: SQSClient,
  queue: QueueRef,
  handler: SqsHandler,
  options: PollOptions = {},
): Promise<PollResult> {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: options.batchSize ?? 10,
      WaitTimeSeconds: options.waitTimeSeconds ?? 0,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
    { abortSignal: options.abortSignal },
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return { received: 0, failed: 0 };

  const event: SQSEvent = { Records: messages.map((message) => toRecord(message, queue.arn)) };
  let failedIds: Set<string>;
  try {
    const response = await handler(event, lambdaContext(options.functionName ?? 'local', 30_000));
    failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch {
    // A thrown handler fails the whole batch, as in Lambda.
    failedIds = new Set(messages.map((message) => message.MessageId ?? ''));
  }

  const done = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
  const failed = messages.filter((message) => failedIds.has(message.MessageId ?? ''));
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle ?? '' })),
      }),
    );
  }
  if (failed.length > 0 && options.retryDelaySeconds !== undefined) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue.url,
        Entries: failed.map((message, i) => ({
          Id: String(i),
          ReceiptHandle: message.ReceiptHandle ?? '',
          VisibilityTimeout: options.retryDelaySeconds,
        })),
      }),
    );
  }
  return { received: messages.length, failed: failed.length };
}

/** Polls until a receive comes back empty; returns the totals. */
export async function drain(
  sqs: SQSClient,
  queue: QueueRef,
  handler: SqsHandler,
  options: PollOptions = {},
): Promise<PollResult> {
  const total = { received: 0, failed: 0 };
  for (;;) {
    const result = await pollOnce(sqs, queue, handler, options);
    if (result.received === 0) return total;
    total.received += result.received;
    total.failed += result.failed;
  }
}

/** Polls a queue continuously until stopped, as an event source mapping does. */
export class QueuePoller {
  private running = false;
  private loop: Promise<void> | null = null;
  private aborter = new AbortController();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: QueueRef,
    private readonly handler: SqsHandler,
    private readonly options: PollOptions = {},
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.aborter = new AbortController();
    const abortSignal = this.aborter.signal;
    this.loop = (async () => {
      while (this.running) {
        try {
          await pollOnce(this.sqs, this.queue, this.handler, {
            waitTimeSeconds: 1,
            ...this.options,
            abortSignal,
          });
        } catch (error) {
          if (!this.running) return;
          this.onError(error);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    })();
  }

  /** Ends the waiting receive, lets a batch in hand finish, and resolves when the loop is done. */
  async stop(): Promise<void> {
    this.running = false;
    this.aborter.abort();
    await this.loop;
  }
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'eu-west-1',
  };
}

function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `local-${Math.random().toString(36).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
