import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { PermanentFailure } from '../core/errors.js';
import { safeError } from './observability.js';

/** One week: longer than any redelivery or retry could take. */
const IDEMPOTENCY_SECONDS = 7 * 86_400;

export interface SqsJobSpec<Job> {
  /** What a job is called in log lines: "unreadable <kind>", "<kind> failed". */
  kind: string;
  /** Reads and checks one message body; null acknowledges it without work. Throws when unreadable. */
  read(body: string): Job | null;
  /** Jobs with the same key run once. */
  idempotencyKey(job: Job): string;
  run(job: Job): Promise<unknown>;
  sesMessageId(job: Job): string;
  logger: Logger;
  metrics: Metrics;
  /** The idempotency table (key `id`, TTL attribute `expiration`) and the client to reach it. */
  idempotency: { table: string; dynamodb: DynamoDBClient };
}

/**
 * A Lambda handler for an SQS event source: partial batch failure (one bad message never
 * fails or repeats its batch-mates), idempotency per key (a redelivered message does no
 * work twice), and log lines that name ids and error classes only — never a message text,
 * which could quote an address.
 */
export function createSqsJobHandler<Job>(spec: SqsJobSpec<Job>) {
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    expiresAfterSeconds: IDEMPOTENCY_SECONDS,
  });
  const runOnce = makeIdempotent(async (input: { key: string; job: Job }) => spec.run(input.job), {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: spec.idempotency.table,
      awsSdkV3Client: spec.idempotency.dynamodb,
    }),
    config: idempotency,
  });

  // Every failed message goes back to its queue, permanent or not: SQS redelivers it after
  // the visibility timeout until its receive count reaches the redrive policy's
  // maxReceiveCount, then moves it to the DLQ. For a permanent failure those retries only
  // read (nothing is routed or sent twice: idempotency); they are counted apart so the DLQ
  // alarm can be read as "look at this" rather than "wait for it".
  const countPermanent = (error: unknown) => {
    if (error instanceof PermanentFailure) spec.metrics.addMetric('PermanentFailures', MetricUnit.Count, 1);
  };

  const processRecord = async (message: SQSRecord): Promise<void> => {
    let job: Job | null;
    try {
      job = spec.read(message.body);
    } catch (error) {
      spec.logger.error(`unreadable ${spec.kind}`, {
        messageId: message.messageId,
        ...failureKind(error),
        ...safeError(error),
      });
      countPermanent(error);
      throw error;
    }
    if (job === null) return;
    try {
      await runOnce({ key: spec.idempotencyKey(job), job });
    } catch (error) {
      spec.logger.error(`${spec.kind} failed; it returns to the queue`, {
        sesMessageId: spec.sesMessageId(job),
        ...failureKind(error),
        ...safeError(error),
      });
      countPermanent(error);
      throw error;
    }
  };

  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) => {
    // Every line of this invocation names its request id, so one batch's lines can be found.
    spec.logger.addContext(context);
    idempotency.registerLambdaContext(context);
    try {
      return await processPartialResponse(event, processRecord, processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    } finally {
      if (spec.metrics.hasStoredMetrics()) spec.metrics.publishStoredMetrics();
    }
  };
}

function failureKind(error: unknown): { permanent: boolean } {
  return { permanent: error instanceof PermanentFailure };
}
