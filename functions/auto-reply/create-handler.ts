import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { readReplyJob } from '../core/queue-messages.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { type AutoReplyDeps, sendReply } from './auto-reply.js';

/**
 * The auto-reply Lambda handler. Idempotency per SES message id makes a duplicated job a
 * no-op even while the first copy is still sending; the reply log does the rest.
 */
export function createAutoReplyHandler(deps: AutoReplyDeps, persistenceStore: BasePersistenceLayer) {
  return createSqsJobHandler({
    kind: 'reply job',
    read: readReplyJob,
    // Each try of a deferred reply is a job of its own: the first try's stored outcome
    // ("deferred") must not answer for the retry it queued.
    idempotencyKey: (job) =>
      job.retry ? `reply#${job.sesMessageId}#try${job.retry.attempt}` : `reply#${job.sesMessageId}`,
    run: (job) => sendReply(job, deps),
    sesMessageId: (job) => job.sesMessageId,
    logger: deps.logger,
    metrics: deps.metrics,
    persistenceStore,
  });
}
