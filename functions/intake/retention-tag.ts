import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MailArrival } from '../core/ses-notification.js';
import type { Topic } from '../core/types.js';
import { safeError } from '../runtime/observability.js';
import type { IntakeDeps } from './intake.js';

/**
 * Records the mail's topic on its stored object, for the bucket's per-topic retention.
 * Called once the mail is routed, and never fatal: mail without the tag is kept for the
 * longest retention of any topic, so a failed tag loses nothing, whereas failing the
 * message would route the mail a second time when the queue retries it.
 */
export async function tagForRetention(
  arrival: MailArrival,
  topic: Topic,
  deps: Pick<IntakeDeps, 'tagRawMail' | 'mailStore' | 'logger' | 'metrics'>,
): Promise<void> {
  if (!deps.tagRawMail) return;
  try {
    await deps.mailStore.tagTopic({ bucket: arrival.bucket, key: arrival.key }, topic);
  } catch (error) {
    deps.metrics.addMetric('RetentionTagFailed', MetricUnit.Count, 1);
    deps.logger.warn('retention tag not set: the mail is kept for the longest retention', {
      sesMessageId: arrival.sesMessageId,
      ...safeError(error),
    });
  }
}
