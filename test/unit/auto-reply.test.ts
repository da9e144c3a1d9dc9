import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { deferralSeconds, MAX_DEFERRAL_MS, sendReply } from '../../functions/auto-reply/auto-reply.js';
import { configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import type { ClaimOutcome, RawMailSender, ReplyLog, ReplyQueue } from '../../functions/core/ports.js';
import type { ReplyJob } from '../../functions/core/queue-messages.js';
import { replyJob } from '../support/reply-job.js';

// The reply log's own behaviour is tested against DynamoDB (dynalite) in the integration
// tests; here an in-memory log stands in to reach failures the emulator cannot produce and
// to walk a deferred reply through a day of clock hours.

const job = replyJob({
  sesMessageId: 'unit-1',
  to: 'anna.lind@gmail.com',
  subject: 'Spørgsmål',
  inReplyTo: '<q@gmail.com>',
  references: [],
  receivedAt: '2026-11-25T10:00:00Z',
});

class MemoryReplyLog implements ReplyLog {
  claims = new Map<string, string>();
  counts = new Map<string, number>();
  failMarkSent = false;
  async claim(hash: string, id: string): Promise<ClaimOutcome> {
    const holder = this.claims.get(hash);
    if (holder && holder !== id) return 'within-window';
    this.claims.set(hash, id);
    return 'claimed';
  }
  async countReply(now: Date, cap: number, domainHash?: string) {
    const key = `${now.toISOString().slice(0, 13)}#${domainHash ?? 'all'}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= cap) return false;
    this.counts.set(key, count + 1);
    return true;
  }
  async uncountReply(at: Date, domainHash?: string) {
    const key = `${at.toISOString().slice(0, 13)}#${domainHash ?? 'all'}`;
    this.counts.set(key, Math.max(0, (this.counts.get(key) ?? 0) - 1));
  }
  async release(hash: string) {
    this.claims.delete(hash);
  }
  async markSent() {
    if (this.failMarkSent)
      throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
  }
  async markRejected() {}
}

class MemoryReplyQueue implements ReplyQueue {
  deferred: Array<{ job: ReplyJob; delaySeconds: number }> = [];
  async defer(job: ReplyJob, delaySeconds: number) {
    this.deferred.push({ job, delaySeconds });
  }
}

function deps(
  replyLog: ReplyLog,
  sent: Buffer[],
  options: { config?: typeof DEFAULT_CONFIG; queue?: ReplyQueue; now?: () => Date } = {},
) {
  const sender: RawMailSender = {
    send: async (raw) => {
      sent.push(raw);
    },
  };
  return {
    config: options.config ?? DEFAULT_CONFIG,
    replyLog,
    replyQueue: options.queue ?? new MemoryReplyQueue(),
    sender,
    salt: async () => 'unit-test-salt-0123456789',
    logger: new Logger({ serviceName: 'auto-reply', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'MailTriage', serviceName: 'auto-reply' }),
    now: options.now ?? (() => new Date('2026-11-25T10:00:00Z')),
  };
}

describe('sendReply', () => {
  it('does not fail a reply SES accepted when the reply log cannot mark it sent', async () => {
    const log = new MemoryReplyLog();
    log.failMarkSent = true;
    const sent: Buffer[] = [];
    await expect(sendReply(job, deps(log, sent))).resolves.toMatchObject({ decision: 'sent' });
    expect(sent).toHaveLength(1);
  });

  it('suppresses a second mail from the same sender within the window', async () => {
    const log = new MemoryReplyLog();
    const sent: Buffer[] = [];
    await sendReply(job, deps(log, sent));
    const second = await sendReply({ ...job, sesMessageId: 'unit-2' }, deps(log, sent));
    expect(second).toEqual({
      sesMessageId: 'unit-2',
      decision: 'suppressed',
      reason: 'duplicate-within-window',
    });
    expect(sent).toHaveLength(1);
  });

  it.each(['user@example.invalid', 'user@localhost', 'anna@gmail.com\r\nBcc: x@example.com'])(
    'checks the address of a queued job again and sends nothing to %j',
    async (to) => {
      const log = new MemoryReplyLog();
      const sent: Buffer[] = [];
      const outcome = await sendReply({ ...job, to }, deps(log, sent));
      expect(outcome).toEqual({
        sesMessageId: 'unit-1',
        decision: 'suppressed',
        reason: 'invalid-reply-address',
      });
      expect(sent).toHaveLength(0);
      expect(log.claims.size).toBe(0);
    },
  );
});

describe('one window per sender, however the address is spelled', () => {
  it.each(['Anna.Lind@gmail.com', 'annalind+ssi@googlemail.com', 'ANNA.LIND@GMAIL.COM'])(
    'does not answer %s within the window after answering anna.lind@gmail.com',
    async (variant) => {
      const log = new MemoryReplyLog();
      const sent: Buffer[] = [];
      await sendReply(job, deps(log, sent));
      const second = await sendReply({ ...job, sesMessageId: 'unit-2', to: variant }, deps(log, sent));
      expect(second.reason).toBe('duplicate-within-window');
      expect(sent).toHaveLength(1);
    },
  );
});

describe('the hourly caps delay replies rather than drop them', () => {
  const at = (iso: string) => () => new Date(iso);

  it('waits until just past the clock hour, at most SQS’s 900 seconds', () => {
    expect(deferralSeconds(new Date('2026-11-25T10:59:58Z'))).toBe(3);
    expect(deferralSeconds(new Date('2026-11-25T10:50:00Z'))).toBe(601);
    expect(deferralSeconds(new Date('2026-11-25T10:00:00Z'))).toBe(900);
    expect(deferralSeconds(new Date('2026-11-25T10:10:00.999Z'))).toBe(900);
  });

  it('answers the domain’s cap of senders from one domain in an hour, defers the rest, and answers other domains', async () => {
    const config = configWithOverrides(
      { reply: { domainHourlyCap: 2, hourlyCap: 10 } },
      DEFAULT_CONFIG,
      'test',
    );
    const log = new MemoryReplyLog();
    const queue = new MemoryReplyQueue();
    const sent: Buffer[] = [];
    const outcomes = [];
    for (const [i, to] of ['a@flood.dk', 'b@flood.dk', 'c@news.flood.dk', 'anna.lind@gmail.com'].entries()) {
      outcomes.push(
        await sendReply({ ...job, sesMessageId: `d-${i}`, to }, deps(log, sent, { config, queue })),
      );
    }
    expect(outcomes.map((outcome) => outcome.decision)).toEqual(['sent', 'sent', 'deferred', 'sent']);
    expect(outcomes[2]?.reason).toBe('hourly-cap');
    expect(queue.deferred.map((entry) => entry.job.to)).toEqual(['c@news.flood.dk']);
    // The deferred sender holds no slot: its retry (or its next mail) can claim one.
    expect(log.claims.size).toBe(3);
  });

  it('queues a reply stopped by the global cap again with a delay, a try count and the first try’s time', async () => {
    const config = configWithOverrides({ reply: { hourlyCap: 1 } }, DEFAULT_CONFIG, 'test');
    const log = new MemoryReplyLog();
    const queue = new MemoryReplyQueue();
    const sent: Buffer[] = [];
    const now = at('2026-11-25T10:45:00Z');
    await sendReply({ ...job, to: 'first@icloud.com' }, deps(log, sent, { config, queue, now }));
    const outcome = await sendReply({ ...job, sesMessageId: 'g-2' }, deps(log, sent, { config, queue, now }));

    expect(outcome).toEqual({ sesMessageId: 'g-2', decision: 'deferred', reason: 'hourly-cap' });
    expect(sent).toHaveLength(1);
    expect(queue.deferred).toEqual([
      {
        job: { ...job, sesMessageId: 'g-2', retry: { attempt: 2, firstTriedAt: '2026-11-25T10:45:00.000Z' } },
        delaySeconds: 900,
      },
    ]);
    // The domain's count was given back: the global cap, not gmail.com, stopped it.
    expect(log.counts.get('2026-11-25T10#all')).toBe(1);
    expect(
      [...log.counts.entries()].filter(([key, count]) => !key.endsWith('#all') && count > 0),
    ).toHaveLength(1);
  });

  it('sends a deferred reply once the next hour has room, keeping the first try’s time', async () => {
    const config = configWithOverrides({ reply: { hourlyCap: 1 } }, DEFAULT_CONFIG, 'test');
    const log = new MemoryReplyLog();
    const queue = new MemoryReplyQueue();
    const sent: Buffer[] = [];
    await sendReply(
      { ...job, to: 'first@icloud.com' },
      deps(log, sent, { config, queue, now: at('2026-11-25T10:45:00Z') }),
    );
    await sendReply(
      { ...job, sesMessageId: 'g-2' },
      deps(log, sent, { config, queue, now: at('2026-11-25T10:45:00Z') }),
    );
    const retry = queue.deferred.shift()?.job;
    expect(retry?.retry?.attempt).toBe(2);

    // Still within the full hour: deferred again, try 3, the same first try, until just past the hour.
    const stillFull = await sendReply(
      retry as ReplyJob,
      deps(log, sent, { config, queue, now: at('2026-11-25T10:59:59Z') }),
    );
    expect(stillFull.decision).toBe('deferred');
    expect(queue.deferred.at(-1)?.job.retry).toEqual({
      attempt: 3,
      firstTriedAt: '2026-11-25T10:45:00.000Z',
    });
    expect(queue.deferred.at(-1)?.delaySeconds).toBe(2);

    const later = await sendReply(
      queue.deferred.at(-1)?.job as ReplyJob,
      deps(log, sent, { config, queue, now: at('2026-11-25T11:00:01Z') }),
    );
    expect(later).toEqual({ sesMessageId: 'g-2', decision: 'sent', reason: 'eligible' });
    expect(sent).toHaveLength(2);
  });

  it('gives a reply up as hourly-cap when the next try would come more than 24 hours after the first', async () => {
    const config = configWithOverrides({ reply: { hourlyCap: 1 } }, DEFAULT_CONFIG, 'test');
    const log = new MemoryReplyLog();
    const queue = new MemoryReplyQueue();
    const sent: Buffer[] = [];
    const firstTriedAt = '2026-11-24T10:45:00.000Z';
    const full = at('2026-11-25T10:31:00Z');
    await sendReply({ ...job, to: 'first@icloud.com' }, deps(log, sent, { config, queue, now: full }));

    const almost = { ...job, sesMessageId: 'g-3', retry: { attempt: 96, firstTriedAt } };
    const nearEnd = await sendReply(
      almost,
      deps(log, sent, { config, queue, now: at('2026-11-25T10:29:00Z') }),
    );
    expect(nearEnd.decision).toBe('deferred');

    const outcome = await sendReply(
      { ...almost, retry: { attempt: 97, firstTriedAt } },
      deps(log, sent, { config, queue, now: full }),
    );
    expect(outcome).toEqual({ sesMessageId: 'g-3', decision: 'suppressed', reason: 'hourly-cap' });
    expect(queue.deferred).toHaveLength(1);
    expect(Date.parse('2026-11-25T10:31:00Z') + 900_000 - Date.parse(firstTriedAt)).toBeGreaterThan(
      MAX_DEFERRAL_MS,
    );
    expect([...log.claims.values()]).not.toContain('g-3');
    expect(sent).toHaveLength(1);
  });
});
