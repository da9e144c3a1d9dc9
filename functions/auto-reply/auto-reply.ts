import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { composeReply } from '../core/compose-reply.js';
import type { TriageConfig } from '../core/config.js';
import { type RawMailSender, type ReplyLog, SendRejected } from '../core/ports.js';
import { isValidReplyAddress } from '../core/reply-policy.js';
import type { ReplyJob, ReplyReason } from '../core/types.js';
import { safeError } from '../runtime/observability.js';

export interface AutoReplyDeps {
  config: TriageConfig;
  replyLog: ReplyLog;
  sender: RawMailSender;
  salt: () => Promise<string>;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

export interface AutoReplyOutcome {
  sesMessageId: string;
  decision: 'sent' | 'suppressed';
  reason: ReplyReason;
}

/**
 * Sends at most one reply per sender per window (RFC 5230 `:days`) and at most the hourly
 * cap in all. The sender's slot is claimed before sending and released if the cap stops
 * the reply, so a flood never costs a later citizen their answer.
 */
export async function sendReply(job: ReplyJob, deps: AutoReplyDeps): Promise<AutoReplyOutcome> {
  const now = deps.now();
  const { reply } = deps.config;
  // The policy checked the address at intake; check again, since this queue is an input too.
  if (!isValidReplyAddress(job.to)) return suppressed(job, 'invalid-reply-address', deps);

  const senderHash = hashAddress(job.to, await deps.salt());
  const claim = await deps.replyLog.claim(senderHash, job.sesMessageId, now, reply.dedupWindowDays);
  if (claim === 'already-replied') return suppressed(job, 'duplicate-within-window', deps, 'DuplicateJobs');
  if (claim === 'within-window') return suppressed(job, 'duplicate-within-window', deps, 'DedupHits');

  if (!(await deps.replyLog.countReply(now, reply.hourlyCap))) {
    await deps.replyLog.release(senderHash, job.sesMessageId);
    deps.metrics.addMetric('ReplyCapTripped', MetricUnit.Count, 1);
    return suppressed(job, 'hourly-cap', deps);
  }

  const raw = await composeReply(job, deps.config, now);
  try {
    await deps.sender.send(raw, reply.from, [job.to]);
  } catch (error) {
    await deps.replyLog.uncountReply(now);
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
    template: job.template,
    cprWarning: job.cprWarning,
  });
  return { sesMessageId: job.sesMessageId, decision: 'sent', reason: 'eligible' };
}

/** Salted SHA-256 of the lower-cased address: the reply log never holds an address. */
export function hashAddress(address: string, salt: string): string {
  return createHash('sha256')
    .update(salt)
    .update('\u0000')
    .update(address.trim().toLowerCase())
    .digest('hex');
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
  deps.logger.info('reply suppressed', { sesMessageId: job.sesMessageId, reason });
  return { sesMessageId: job.sesMessageId, decision: 'suppressed', reason };
}
