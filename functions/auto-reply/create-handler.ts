import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ReplyJob } from '../core/types.js';
import { safeError } from '../runtime/observability.js';
import { type AutoReplyDeps, type AutoReplyOutcome, sendReply } from './auto-reply.js';
import { readReplyJob } from './reply-job.js';

/**
 * The auto-reply Lambda handler. Idempotency per SES message id makes a duplicated job a
 * no-op even while the first copy is still sending; the reply log does the rest.
 */
export function createAutoReplyHandler(deps: AutoReplyDeps, persistenceStore: BasePersistenceLayer) {
  const idempotency = new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: 7 * 86_400 });
  const replyOnce = makeIdempotent(
    async (input: { key: string; job: ReplyJob }): Promise<AutoReplyOutcome> => sendReply(input.job, deps),
    { persistenceStore, config: idempotency },
  );

  const processRecord = async (record: SQSRecord): Promise<void> => {
    let job: ReplyJob;
    try {
      job = readReplyJob(record.body);
    } catch (error) {
      deps.logger.error('unreadable reply job', { messageId: record.messageId, ...safeError(error) });
      throw error;
    }
    try {
      await replyOnce({ key: `reply#${job.sesMessageId}`, job });
    } catch (error) {
      deps.logger.error('reply failed; the job returns to the queue', {
        sesMessageId: job.sesMessageId,
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
