import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { composeForward } from '../core/compose-forward.js';
import type { TriageConfig } from '../core/config.js';
import { type MailStore, type RawMailSender, SendRejected } from '../core/ports.js';
import type { TriageRecord } from '../core/queue-messages.js';

export interface DeliverDeps {
  config: TriageConfig;
  /** Largest original attached to a forward; SES refuses messages over 10 MB, and base64 adds a third. */
  maxForwardBytes: number;
  /** The raw-mail bucket and prefix: it refuses a forward job naming any other object. */
  mailStore: MailStore;
  sender: RawMailSender;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

export interface DeliverOutcome {
  sesMessageId: string;
  decision: 'forwarded' | 'not-configured' | 'rejected';
  attached: boolean;
}

/** Forwards one routed mail to its topic's owners, the original attached when it fits. */
export async function forwardToOwners(record: TriageRecord, deps: DeliverDeps): Promise<DeliverOutcome> {
  const owners = deps.config.forward[record.topic] ?? [];
  // Owners may have been removed from the configuration since intake queued the job.
  if (owners.length === 0 || !record.s3) {
    return { sesMessageId: record.sesMessageId, decision: 'not-configured', attached: false };
  }
  const { bucket, key } = record.s3;
  const size = await deps.mailStore.size(record.s3);
  const raw = size <= deps.maxForwardBytes ? await readAll(await deps.mailStore.open(record.s3)) : null;
  const message = await composeForward(
    { record, raw, owners, config: deps.config, s3Uri: `s3://${bucket}/${key}` },
    deps.now(),
  );
  try {
    await deps.sender.send(message, deps.config.forwardFrom, owners);
  } catch (error) {
    if (!(error instanceof SendRejected)) throw error;
    // An owner address SES will not take is a configuration error: alarm, do not loop.
    deps.metrics.addMetric('ForwardsRejected', MetricUnit.Count, 1);
    deps.logger.error('forward rejected by SES', {
      sesMessageId: record.sesMessageId,
      errorCode: error.code,
    });
    return { sesMessageId: record.sesMessageId, decision: 'rejected', attached: raw !== null };
  }
  deps.metrics.singleMetric().addDimension('topic', record.topic).addMetric('Forwards', MetricUnit.Count, 1);
  deps.logger.info('mail forwarded', {
    sesMessageId: record.sesMessageId,
    reference: record.reference,
    topic: record.topic,
    owners: owners.length,
    attached: raw !== null,
  });
  return { sesMessageId: record.sesMessageId, decision: 'forwarded', attached: raw !== null };
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
