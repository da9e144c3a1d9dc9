import { describe, expect, it } from 'vitest';
import { caseReference } from '../../functions/core/case-reference.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import {
  ForwardJobInvalid,
  ReplyJobInvalid,
  readForwardJob,
  readReplyJob,
} from '../../functions/core/queue-messages.js';
import { triage } from '../../functions/core/triage.js';
import { fixture } from '../support/fixtures.js';

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

describe('a forwards-queue message', () => {
  async function routedRecord() {
    const { record } = await triage(
      fixture('dsr-access-with-cpr-da.eml'),
      {
        sesMessageId: JOB.sesMessageId,
        receivedAt: new Date('2026-11-25T10:00:00Z'),
        s3: { bucket: 'raw-mail', key: `raw/${JOB.sesMessageId}` },
      },
      DEFAULT_CONFIG,
    );
    return JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  }

  it('is the TriageRecord intake routed, read back whole', async () => {
    const record = await routedRecord();
    expect(readForwardJob(JSON.stringify(record))).toEqual(record);
  });

  it('derives the reference of a record queued before records carried one', async () => {
    const { reference, ...older } = await routedRecord();
    const read = readForwardJob(JSON.stringify(older));
    expect(read.reference).toBe(reference);
  });

  it.each([
    [
      'a record without its signals',
      ({ signals: _signals, ...rest }: Record<string, unknown>) => rest,
      'signals',
    ],
    ['an unknown topic', (record: Record<string, unknown>) => ({ ...record, topic: 'spam' }), 'topic'],
    [
      'a field the contract does not have',
      (record: Record<string, unknown>) => ({ ...record, fromAddress: 'anna@gmail.com' }),
      'unknown field',
    ],
    [
      'a CPR count that is not a count',
      (record: Record<string, unknown>) => ({ ...record, pii: { cprCount: '0101901234' } }),
      'pii.cprCount',
    ],
  ])('refuses %s, naming the field and never its value', async (_name, breakIt, named) => {
    const body = JSON.stringify(breakIt(await routedRecord()));
    expect(() => readForwardJob(body)).toThrow(ForwardJobInvalid);
    expect(() => readForwardJob(body)).toThrow(named);
    expect(() => readForwardJob(body)).not.toThrow(/anna@gmail\.com|0101901234/);
  });
});
