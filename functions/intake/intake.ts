import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { findCaseReference } from '../core/case-reference.js';
import { linkMail, openCase } from '../core/cases.js';
import type { TriageConfig } from '../core/config.js';
import { CaseChanged, type CaseRegister, type MailStore, type QueuePublisher } from '../core/ports.js';
import type { TriageRecord } from '../core/queue-messages.js';
import { caseSenderHash } from '../core/sender-hash.js';
import type { MailArrival } from '../core/ses-notification.js';
import { triage } from '../core/triage.js';
import type { Topic } from '../core/types.js';
import { safeError } from '../runtime/observability.js';

// Intake: triage one stored mail, record it in the case register, route it, and tag it
// for its topic's retention, talking to AWS only through the ports (core/ports.ts).

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
  // nothing routed yet, so the retry routes the mail once (recordCase).
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

// The case register.

/** The case register as intake uses it: where cases are kept, and the salt for sender hashes. */
export interface IntakeCases {
  register: CaseRegister;
  salt: () => Promise<string>;
}

/**
 * What intake did in the register: opened a case, found it opened by an earlier run of the
 * same mail, linked the mail to the case it quotes, or nothing. `collision`: another mail's
 * case has this reference (50 bits; about 1 in 2,000 among a million mails) — logged and
 * counted, and the mail is routed all the same.
 */
export type CaseOutcome = 'opened' | 'exists' | 'linked' | 'collision' | 'none';

/** Concurrent writers (another intake, an owner's CLI) are rare; a few re-reads settle them. */
const LINK_ATTEMPTS = 3;

/**
 * Records a mail in the case register. A mail quoting a case reference, from the sender
 * who opened that case (same salted hash), is linked to it; otherwise a data-subject
 * request opens a case of its own. Intake calls this once it knows the topic and before it
 * publishes anything: a failure here throws, the message returns to the queue, and nothing
 * has been routed yet, so the retry routes the mail once. Every write is idempotent per
 * SES message id, so the retry (or a replay) finds its own case and changes nothing.
 */
async function recordCase(
  record: TriageRecord,
  cases: IntakeCases,
  deps: { logger: Logger; metrics: Metrics; now: () => Date },
): Promise<CaseOutcome> {
  if (record.topic === 'quarantine') return 'none';
  const sender = record.from?.address ?? null;
  let hash: string | null | undefined;
  const senderHash = async () => {
    if (hash === undefined) hash = sender ? caseSenderHash(sender, await cases.salt()) : null;
    return hash;
  };

  // The preview is the start of the text: where a reply's own words, and a quoted reference, are.
  const quoted = findCaseReference(`${record.subject}\n${record.textPreview}`);
  if (quoted && quoted !== record.reference && sender) {
    const linked = await linkToCase(quoted, await senderHash(), record, cases.register, deps.now);
    if (linked) {
      count(deps, 'CasesLinked');
      deps.logger.info('mail linked to case', { sesMessageId: record.sesMessageId, reference: quoted });
      return 'linked';
    }
  }

  const opened = openCase(record, await senderHash(), deps.now());
  if (!opened) return 'none';
  const outcome = await cases.register.open(opened);
  if (outcome === 'opened') count(deps, 'CasesOpened');
  if (outcome === 'collision') {
    count(deps, 'CaseReferenceCollision');
    deps.logger.error('case reference already taken by another mail; no case opened', {
      sesMessageId: record.sesMessageId,
      reference: record.reference,
    });
  } else {
    deps.logger.info(outcome === 'opened' ? 'case opened' : 'case already open', {
      sesMessageId: record.sesMessageId,
      reference: record.reference,
      confidence: record.confidence,
      dueOn: opened.dueOn,
    });
  }
  return outcome;
}

/** Links the mail when the quoted case exists and was opened by this sender; false otherwise. */
async function linkToCase(
  reference: string,
  senderHash: string | null,
  record: TriageRecord,
  register: CaseRegister,
  now: () => Date,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const existing = await register.get(reference);
    if (!existing || senderHash === null || existing.senderHash !== senderHash) return false;
    const linked = linkMail(existing, record.sesMessageId, now());
    if (linked === existing) return true;
    try {
      await register.save(linked);
      return true;
    } catch (error) {
      if (!(error instanceof CaseChanged) || attempt >= LINK_ATTEMPTS) throw error;
    }
  }
}

function count(deps: { metrics: Metrics }, name: string): void {
  deps.metrics.addMetric(name, MetricUnit.Count, 1);
}

// Retention.

/**
 * Records the mail's topic on its stored object, for the bucket's per-topic retention.
 * Called once the mail is routed, and never fatal: mail without the tag is kept for the
 * longest retention of any topic, so a failed tag loses nothing, whereas failing the
 * message would route the mail a second time when the queue retries it.
 */
async function tagForRetention(arrival: MailArrival, topic: Topic, deps: IntakeDeps): Promise<void> {
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
