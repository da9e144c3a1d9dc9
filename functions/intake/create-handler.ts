import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { safeError } from '../runtime/observability.js';
import { type IntakeDeps, type IntakeOutcome, routeArrival } from './intake.js';
import { type MailArrival, readSesNotification, SetupNotification } from './ses-notification.js';

/** One week: longer than any redelivery or retry could take; replays use their own key. */
const IDEMPOTENCY_SECONDS = 7 * 86_400;

/**
 * The intake Lambda handler: partial batch failure (one bad record never fails or
 * repeats its batch-mates) and idempotency per SES message id (a redelivered
 * notification does not route twice).
 */
export function createIntakeHandler(deps: IntakeDeps, persistenceStore: BasePersistenceLayer) {
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    expiresAfterSeconds: IDEMPOTENCY_SECONDS,
  });
  const routeOnce = makeIdempotent(
    async (input: { key: string; arrival: MailArrival }): Promise<IntakeOutcome> =>
      routeArrival(input.arrival, deps),
    { persistenceStore, config: idempotency },
  );

  const processRecord = async (record: SQSRecord): Promise<void> => {
    let arrival: MailArrival;
    try {
      arrival = readSesNotification(record.body);
    } catch (error) {
      if (error instanceof SetupNotification) {
        deps.logger.info('SES setup notification acknowledged', { messageId: record.messageId });
        return;
      }
      deps.logger.error('unreadable intake message', { messageId: record.messageId, ...safeError(error) });
      throw error;
    }
    try {
      const key = arrival.replayId
        ? `${arrival.sesMessageId}#replay:${arrival.replayId}`
        : arrival.sesMessageId;
      // A replay is a deliberate second run, so it gets an idempotency key of its own.
      await routeOnce({ key, arrival });
    } catch (error) {
      deps.logger.error('intake failed; the message returns to the queue', {
        sesMessageId: arrival.sesMessageId,
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
