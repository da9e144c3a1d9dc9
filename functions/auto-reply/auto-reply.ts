import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { domainOf } from '../core/address.js';
import { composeReply } from '../core/compose-reply.js';
import type { TriageConfig } from '../core/config.js';
import { organisationalDomain } from '../core/domains.js';
import { replyWindowAddress } from '../core/envelope-address.js';
import { type RawMailSender, type ReplyLog, type ReplyQueue, SendRejected } from '../core/ports.js';
import type { ReplyJob } from '../core/queue-messages.js';
import { isValidReplyAddress } from '../core/reply-policy.js';
import type { ReplyReason } from '../core/types.js';
import { safeError } from '../runtime/observability.js';

export interface AutoReplyDeps {
  config: TriageConfig;
  replyLog: ReplyLog;
  /** Where a reply the caps hold back waits, with a delay. */
  replyQueue: ReplyQueue;
  sender: RawMailSender;
  salt: () => Promise<string>;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

export interface AutoReplyOutcome {
  sesMessageId: string;
  /** `deferred`: queued again with a delay because a cap was reached; it is tried again later. */
  decision: 'sent' | 'suppressed' | 'deferred';
  reason: ReplyReason;
}

/** How long a reply may wait for the caps before it is given up as `hourly-cap`. */
export const MAX_DEFERRAL_MS = 24 * 3_600_000;
/** SQS's longest per-message delay. */
const MAX_DELAY_SECONDS = 900;

/**
 * Sends at most one reply per sender per window (RFC 5230 `:days`), at most the domain's
 * hourly cap to one domain and the hourly cap in all. The sender's slot is claimed before
 * sending and released if a cap stops the reply; the reply then waits on the queue with a
 * delay and is tried again, for up to 24 hours, so a flood delays the answers to real
 * citizens but does not cost them their answer.
 */
export async function sendReply(job: ReplyJob, deps: AutoReplyDeps): Promise<AutoReplyOutcome> {
  const now = deps.now();
  const { reply } = deps.config;
  // The policy checked the address at intake; check again, since this queue is an input too.
  if (!isValidReplyAddress(job.to)) return suppressed(job, 'invalid-reply-address', deps);

  const salt = await deps.salt();
  const senderHash = hashAddress(job.to, salt);
  const claim = await deps.replyLog.claim(senderHash, job.sesMessageId, now, reply.dedupWindowDays);
  if (claim === 'already-replied') return suppressed(job, 'duplicate-within-window', deps, 'DuplicateJobs');
  if (claim === 'within-window') return suppressed(job, 'duplicate-within-window', deps, 'DedupHits');

  const domainHash = hashDomain(job.to, salt);
  const cap = await countAgainstCaps(now, domainHash, deps);
  if (cap !== null) {
    await deps.replyLog.release(senderHash, job.sesMessageId);
    return deferOrGiveUp(job, cap, now, deps);
  }

  const raw = await composeReply(job, deps.config, now);
  try {
    await deps.sender.send(raw, reply.from, [job.to]);
  } catch (error) {
    await deps.replyLog.uncountReply(now);
    await deps.replyLog.uncountReply(now, domainHash);
    if (error instanceof SendRejected) {
      await deps.replyLog.markRejected(senderHash, job.sesMessageId, error.code);
      return suppressed(job, 'permanent-rejection', deps);
    }
    // Throttling or an outage: give the slot back so the retry from the queue can take it.
    await deps.replyLog.release(senderHash, job.sesMessageId);
    throw error;
  }
  try {
    await deps.replyLog.markSent(senderHash, job.sesMessageId);
  } catch (error) {
    // The reply is out: failing now would make the queue send it again. The slot stays
    // claimed for this mail, which blocks other mails from this sender just the same.
    deps.logger.warn('reply sent but not marked in the reply log', {
      sesMessageId: job.sesMessageId,
      ...safeError(error),
    });
  }

  deps.metrics
    .singleMetric()
    .addDimension('template', job.template)
    .addMetric('RepliesSent', MetricUnit.Count, 1);
  deps.metrics.addMetric(
    'ReplyAgeMs',
    MetricUnit.Milliseconds,
    Math.max(0, now.getTime() - Date.parse(job.receivedAt)),
  );
  deps.logger.info('reply sent', {
    sesMessageId: job.sesMessageId,
    reference: job.reference,
    template: job.template,
    cprWarning: job.cprWarning,
  });
  return { sesMessageId: job.sesMessageId, decision: 'sent', reason: 'eligible' };
}

/** Which cap stopped a reply: the recipient domain's or the global one. */
type Cap = 'domain' | 'global';

/** Counts the reply against the domain's cap, then the global one; gives the first back if the second is full. */
async function countAgainstCaps(now: Date, domainHash: string, deps: AutoReplyDeps): Promise<Cap | null> {
  const { reply } = deps.config;
  if (!(await deps.replyLog.countReply(now, reply.domainHourlyCap, domainHash))) return 'domain';
  if (!(await deps.replyLog.countReply(now, reply.hourlyCap))) {
    await deps.replyLog.uncountReply(now, domainHash);
    return 'global';
  }
  return null;
}

/**
 * Puts the job back on the queue to be tried after the delay, or gives it up as
 * `hourly-cap` when that try would fall more than 24 hours after the first.
 */
async function deferOrGiveUp(
  job: ReplyJob,
  cap: Cap,
  now: Date,
  deps: AutoReplyDeps,
): Promise<AutoReplyOutcome> {
  deps.metrics.addMetric('ReplyCapTripped', MetricUnit.Count, 1);
  const firstTriedAt = job.retry ? new Date(job.retry.firstTriedAt) : now;
  const delaySeconds = deferralSeconds(now);
  if (now.getTime() + delaySeconds * 1000 - firstTriedAt.getTime() > MAX_DEFERRAL_MS) {
    deps.logger.info('reply given up after waiting for the caps', {
      sesMessageId: job.sesMessageId,
      attempt: job.retry?.attempt ?? 1,
      cap,
    });
    return suppressed(job, 'hourly-cap', deps);
  }
  const attempt = (job.retry?.attempt ?? 1) + 1;
  await deps.replyQueue.defer(
    { ...job, retry: { attempt, firstTriedAt: firstTriedAt.toISOString() } },
    delaySeconds,
  );
  deps.metrics.singleMetric().addDimension('cap', cap).addMetric('RepliesDeferred', MetricUnit.Count, 1);
  deps.logger.info('reply deferred', { sesMessageId: job.sesMessageId, attempt, delaySeconds, cap });
  return { sesMessageId: job.sesMessageId, decision: 'deferred', reason: 'hourly-cap' };
}

/**
 * The caps count per UTC clock hour, so nothing frees before the next hour starts (but a
 * count given back): wait until just past it, and never longer than SQS allows.
 */
export function deferralSeconds(now: Date): number {
  const untilNextHour = 3600 - ((now.getUTCMinutes() * 60 + now.getUTCSeconds()) % 3600);
  return Math.min(MAX_DELAY_SECONDS, untilNextHour + 1);
}

/**
 * Salted SHA-256 of the sender as the per-sender window knows it (replyWindowAddress:
 * case, `+tag`, Gmail's dots and googlemail.com, SRS folded): the reply log never holds
 * an address, and no spelling of one address opens a second window.
 */
export function hashAddress(address: string, salt: string): string {
  return saltedHash(replyWindowAddress(address), salt);
}

/** Salted SHA-256 of the organisational domain the reply goes to, for the domain's cap. */
export function hashDomain(address: string, salt: string): string {
  const domain = domainOf(address.trim()) ?? '';
  return saltedHash(`domain:${organisationalDomain(domain) ?? domain}`, salt);
}

function saltedHash(value: string, salt: string): string {
  return createHash('sha256').update(salt).update('\u0000').update(value).digest('hex');
}

function suppressed(
  job: ReplyJob,
  reason: ReplyReason,
  deps: AutoReplyDeps,
  extraMetric?: 'DedupHits' | 'DuplicateJobs',
): AutoReplyOutcome {
  if (extraMetric) deps.metrics.addMetric(extraMetric, MetricUnit.Count, 1);
  deps.metrics
    .singleMetric()
    .addDimension('reason', reason)
    .addMetric('RepliesSuppressed', MetricUnit.Count, 1);
  deps.logger.info('reply suppressed', { sesMessageId: job.sesMessageId, reference: job.reference, reason });
  return { sesMessageId: job.sesMessageId, decision: 'suppressed', reason };
}
