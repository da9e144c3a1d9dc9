import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { readForwardJob } from '../core/queue-messages.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { type DeliverDeps, forwardToOwners } from './deliver.js';

/** The deliver Lambda handler: one forward per SES message id and topic. */
export function createDeliverHandler(deps: DeliverDeps, persistenceStore: BasePersistenceLayer) {
  return createSqsJobHandler({
    kind: 'forward job',
    read: readForwardJob,
    idempotencyKey: (record) => `forward#${record.sesMessageId}#${record.topic}`,
    run: (record) => forwardToOwners(record, deps),
    sesMessageId: (record) => record.sesMessageId,
    logger: deps.logger,
    metrics: deps.metrics,
    persistenceStore,
  });
}
