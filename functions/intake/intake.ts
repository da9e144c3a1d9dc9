import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TriageConfig } from '../core/config.js';
import type { MailStore, QueuePublisher } from '../core/ports.js';
import type { TriageRecord } from '../core/queue-messages.js';
import type { MailArrival } from '../core/ses-notification.js';
import { triage } from '../core/triage.js';
import type { Topic } from '../core/types.js';
import { type IntakeCases, recordCase } from './record-case.js';
import { tagForRetention } from './retention-tag.js';

export interface IntakeDeps {
  config: TriageConfig;
  topicQueues: Record<Topic, string>;
  repliesQueueUrl: string;
  forwardsQueueUrl: string;
  /** The raw-mail bucket and prefix: it refuses a notification naming any other object. */
  mailStore: MailStore;
  /** Tag stored mail with its topic (deployed; the local S3 emulator has no object tagging). */
  tagRawMail: boolean;
  queues: QueuePublisher;
  /** The GDPR case register; absent, no cases are kept (a CLI replay without the table, say). */
  cases?: IntakeCases;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

/** What intake did with one mail: also what idempotency stores for a repeat delivery. */
export interface IntakeOutcome {
  sesMessageId: string;
  topic: Topic;
  reply: 'send' | 'suppress';
  forwarded: boolean;
}

/**
 * Triages one stored mail and routes it: the TriageRecord to its topic's queue, a reply
 * job when the policy says send, a forward job when the topic has owners. A mail that
 * does not parse is routed all the same, with its parse errors.
 */
export async function routeArrival(arrival: MailArrival, deps: IntakeDeps): Promise<IntakeOutcome> {
  const started = deps.now();
  const raw = await deps.mailStore.open({ bucket: arrival.bucket, key: arrival.key });
  // The parser turns a broken stream into a parse error, so a malformed mail is never lost.
  // A read that broke off (connection reset mid-body) is not the mail's fault: routing it
  // would send a truncated record, so fail and let the queue retry the whole read.
  let readFailure: unknown;
  raw.on('error', (error) => {
    readFailure ??= error;
  });
  const { record, replyJob } = await triage(
    raw,
    {
      sesMessageId: arrival.sesMessageId,
      receivedAt: arrival.receivedAt,
      s3: { bucket: arrival.bucket, key: arrival.key },
      verdicts: arrival.verdicts,
      envelopeSender: arrival.envelopeSender,
      envelopeRecipients: arrival.envelopeRecipients,
    },
    deps.config,
  );
  if (readFailure !== undefined) throw readFailure;

  // Before any publish: a failed case write sends the message back to the queue with
  // nothing routed yet, so the retry routes the mail once (record-case.ts).
  const caseOutcome = deps.cases ? await recordCase(record, deps.cases, deps) : 'none';
  await deps.queues.publish(deps.topicQueues[record.topic], record);
  if (replyJob) await deps.queues.publish(deps.repliesQueueUrl, replyJob);
  const forwarded = (deps.config.forward[record.topic]?.length ?? 0) > 0;
  if (forwarded) await deps.queues.publish(deps.forwardsQueueUrl, record);
  await tagForRetention(arrival, record.topic, deps);

  recordMetrics(record, deps, started);
  deps.logger.info('mail routed', {
    ...summarise(record, forwarded, arrival, deps.now().getTime() - started.getTime()),
    case: caseOutcome,
  });
  return {
    sesMessageId: record.sesMessageId,
    topic: record.topic,
    reply: record.autoReply.decision,
    forwarded,
  };
}

/** Ids, topic, decision and counts: nothing that identifies or quotes the sender. */
function summarise(record: TriageRecord, forwarded: boolean, arrival: MailArrival, durationMs: number) {
  return {
    sesMessageId: record.sesMessageId,
    reference: record.reference,
    replayId: arrival.replayId,
    topic: record.topic,
    matchedRule: record.matchedRule,
    senderKind: record.senderKind,
    encryption: record.encryption,
    gdprRight: record.gdpr?.right ?? null,
    dueOn: record.gdpr?.dueOn ?? null,
    cprFound: record.pii.cprCount > 0,
    attachments: record.attachments.length,
    parseErrors: record.parseErrors.length,
    replyDecision: record.autoReply.decision,
    replyReason: record.autoReply.reason,
    forwarded,
    durationMs,
  };
}

function recordMetrics(record: TriageRecord, deps: IntakeDeps, started: Date): void {
  const { metrics } = deps;
  metrics.singleMetric().addDimension('topic', record.topic).addMetric('MailsByTopic', MetricUnit.Count, 1);
  if (record.autoReply.decision === 'suppress') {
    metrics
      .singleMetric()
      .addDimension('reason', record.autoReply.reason)
      .addMetric('RepliesSuppressed', MetricUnit.Count, 1);
  }
  if (record.parseErrors.length > 0) metrics.addMetric('ParseErrors', MetricUnit.Count, 1);
  metrics.addMetric(
    'EndToEndAgeMs',
    MetricUnit.Milliseconds,
    Math.max(0, started.getTime() - new Date(record.receivedAt).getTime()),
  );
}
