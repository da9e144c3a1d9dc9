import { describe, expect, it } from 'vitest';
import { formatLogLine, installLiveLog } from '../../local/live-log.js';

const routed = JSON.stringify({
  level: 'INFO',
  message: 'mail routed',
  service: 'intake',
  sesMessageId: 'o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1',
  reference: 'SSI-DB-2026-4K7QM-2XP9C',
  topic: 'data-subject-request',
  replyDecision: 'send',
  replyReason: 'eligible',
  forwarded: true,
  gdprRight: 'access',
  dueOn: '2026-04-07',
  parseErrors: 0,
});

describe('the live log', () => {
  it('shows one short line per routed mail: id, case reference, topic, reply decision and forward', () => {
    const line = formatLogLine(routed) ?? '';
    expect(line).toMatch(
      /o3vrnil0e2ic SSI-DB-2026-4K7QM-2XP9C routed\s+data-subject-request\s+reply=send\(eligible\) forward=yes/,
    );
    expect(line).toContain('gdpr=access due 2026-04-07');
  });

  it('shows the case reference on the reply and forward lines too', () => {
    const reference = 'SSI-DB-2026-4K7QM-2XP9C';
    for (const entry of [
      { message: 'reply sent', sesMessageId: 'abc', reference, template: 'general' },
      { message: 'reply suppressed', sesMessageId: 'abc', reference, reason: 'hourly-cap' },
      { message: 'mail forwarded', sesMessageId: 'abc', reference, owners: 1 },
    ]) {
      expect(formatLogLine(JSON.stringify(entry))).toContain(`abc          ${reference} `);
    }
  });

  it('shows suppressed replies with their reason and errors by class', () => {
    expect(
      formatLogLine(
        JSON.stringify({ message: 'reply suppressed', sesMessageId: 'abc', reason: 'hourly-cap' }),
      ),
    ).toContain('suppressed(hourly-cap)');
    expect(
      formatLogLine(
        JSON.stringify({
          level: 'ERROR',
          service: 'intake',
          message: 'intake message failed',
          errorName: 'MailNotFound',
        }),
      ),
    ).toContain('ERROR: intake message failed (MailNotFound)');
  });

  it('hides metric lines and debug noise', () => {
    expect(formatLogLine(JSON.stringify({ _aws: { Timestamp: 1 }, MailsByTopic: 1 }))).toBeNull();
    expect(formatLogLine(JSON.stringify({ level: 'DEBUG', message: 'x' }))).toBeNull();
  });

  it('reassembles lines written in pieces and restores stdout afterwards', () => {
    const shown: string[] = [];
    const original = process.stdout.write;
    const restore = installLiveLog((line) => shown.push(line));
    try {
      process.stdout.write(routed.slice(0, 40));
      process.stdout.write(`${routed.slice(40)}\n`);
    } finally {
      restore();
    }
    expect(shown).toHaveLength(1);
    expect(process.stdout.write).toBe(original);
  });
});
