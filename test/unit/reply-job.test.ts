import { describe, expect, it } from 'vitest';
import { ReplyJobInvalid, readReplyJob } from '../../functions/auto-reply/reply-job.js';
import { caseReference } from '../../functions/core/case-reference.js';

const JOB = {
  sesMessageId: 'o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1',
  to: 'anna.lind@gmail.com',
  template: 'general',
  subject: 'Spørgsmål',
  inReplyTo: null,
  references: [],
  cprWarning: false,
  gdpr: null,
  reference: 'SSI-DB-2026-4K7QM-2XP9C',
  forwarded: true,
  receivedAt: '2026-11-25T10:00:00Z',
};

describe('a replies-queue message', () => {
  it('carries the case reference and whether the mail was forwarded', () => {
    const job = readReplyJob(JSON.stringify(JOB));
    expect(job.reference).toBe('SSI-DB-2026-4K7QM-2XP9C');
    expect(job.forwarded).toBe(true);
  });

  it.each([
    'SSI-DB-2026-4K7QM',
    'SSI-DB-2026-4K7QM-2XP9O',
    'ssi-db-2026-4k7qm-2xp9c',
    'SSI-DB-2026-4K7QM-2XP9C\r\nBcc: x',
  ])('refuses a reference not written as intake writes one: %j', (reference) => {
    expect(() => readReplyJob(JSON.stringify({ ...JOB, reference }))).toThrow(ReplyJobInvalid);
  });

  it('derives the reference of a job queued before jobs carried one, and does not claim a forward', () => {
    const { reference: _reference, forwarded: _forwarded, ...older } = JOB;
    // 23:30 UTC on New Year's Eve is already the next year in Copenhagen, as intake counts it.
    const job = readReplyJob(JSON.stringify({ ...older, receivedAt: '2026-12-31T23:30:00Z' }));
    expect(job.reference).toBe(caseReference(JOB.sesMessageId, 2027));
    expect(job.forwarded).toBe(false);
  });
});
