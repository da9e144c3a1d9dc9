import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { sendReply } from '../../functions/auto-reply/auto-reply.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import type { ClaimOutcome, RawMailSender, ReplyLog } from '../../functions/core/ports.js';
import type { ReplyJob } from '../../functions/core/types.js';

// The reply log's own behaviour is tested against DynamoDB (dynalite) in the integration
// tests; here an in-memory log stands in to reach one failure the emulator cannot produce.

const job: ReplyJob = {
  sesMessageId: 'unit-1',
  to: 'anna.lind@gmail.com',
  template: 'general',
  subject: 'Spørgsmål',
  inReplyTo: '<q@gmail.com>',
  references: [],
  cprWarning: false,
  gdpr: null,
  receivedAt: '2026-11-25T10:00:00Z',
};

class MemoryReplyLog implements ReplyLog {
  claims = new Map<string, string>();
  failMarkSent = false;
  async claim(hash: string, id: string): Promise<ClaimOutcome> {
    const holder = this.claims.get(hash);
    if (holder && holder !== id) return 'within-window';
    this.claims.set(hash, id);
    return 'claimed';
  }
  async countReply() {
    return true;
  }
  async uncountReply() {}
  async release(hash: string) {
    this.claims.delete(hash);
  }
  async markSent() {
    if (this.failMarkSent)
      throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
  }
  async markRejected() {}
}

function deps(replyLog: ReplyLog, sent: Buffer[]) {
  const sender: RawMailSender = {
    send: async (raw) => {
      sent.push(raw);
    },
  };
  return {
    config: DEFAULT_CONFIG,
    replyLog,
    sender,
    salt: async () => 'unit-test-salt-0123456789',
    logger: new Logger({ serviceName: 'auto-reply', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'MailTriage', serviceName: 'auto-reply' }),
    now: () => new Date('2026-11-25T10:00:00Z'),
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
