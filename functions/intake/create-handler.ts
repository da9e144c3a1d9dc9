import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { readSesNotification, SetupNotification } from '../core/ses-notification.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { type IntakeDeps, routeArrival } from './intake.js';

/** The intake Lambda handler: one SES notification per message, routed once per SES message id. */
export function createIntakeHandler(deps: IntakeDeps, persistenceStore: BasePersistenceLayer) {
  return createSqsJobHandler({
    kind: 'intake message',
    read(body) {
      try {
        return readSesNotification(body);
      } catch (error) {
        // SES's test message when a rule is saved: acknowledged, nothing to triage.
        if (error instanceof SetupNotification) return null;
        throw error;
      }
    },
    // A replay is a deliberate second run, so it gets an idempotency key of its own.
    idempotencyKey: (arrival) =>
      arrival.replayId ? `${arrival.sesMessageId}#replay:${arrival.replayId}` : arrival.sesMessageId,
    run: (arrival) => routeArrival(arrival, deps),
    sesMessageId: (arrival) => arrival.sesMessageId,
    logger: deps.logger,
    metrics: deps.metrics,
    persistenceStore,
  });
}
