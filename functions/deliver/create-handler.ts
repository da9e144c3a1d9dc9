import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { TriageRecord } from '../core/types.js';
import { safeError } from '../runtime/observability.js';
import { type DeliverDeps, type DeliverOutcome, forwardToOwners } from './deliver.js';
import { readForwardJob } from './forward-job.js';

/** The deliver Lambda handler: partial batch failure, one forward per SES message id. */
export function createDeliverHandler(deps: DeliverDeps, persistenceStore: BasePersistenceLayer) {
  const idempotency = new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: 7 * 86_400 });
  const forwardOnce = makeIdempotent(
    async (input: { key: string; record: TriageRecord }): Promise<DeliverOutcome> =>
      forwardToOwners(input.record, deps),
    { persistenceStore, config: idempotency },
  );

  const processRecord = async (message: SQSRecord): Promise<void> => {
    let record: TriageRecord;
    try {
      record = readForwardJob(message.body);
    } catch (error) {
      deps.logger.error('unreadable forward job', { messageId: message.messageId, ...safeError(error) });
      throw error;
    }
    try {
      await forwardOnce({ key: `forward#${record.sesMessageId}#${record.topic}`, record });
    } catch (error) {
      deps.logger.error('forward failed; the job returns to the queue', {
        sesMessageId: record.sesMessageId,
        ...safeError(error),
      });
      throw error;
    }
  };

  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) => {
    idempotency.registerLambdaContext(context);
    try {
      return await processPartialResponse(event, processRecord, processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
}
