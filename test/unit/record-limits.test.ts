import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import type { TriageRecord } from '../../functions/core/queue-messages.js';
import { readReplyJob, triageRecordSchema } from '../../functions/core/queue-messages.js';
import {
  boundRecord,
  cutString,
  jsonBytes,
  MAX_RECORD_BYTES,
  REPLY_JOB_CAPS,
} from '../../functions/core/record-limits.js';
import { triage } from '../../functions/core/triage.js';
import { fixture } from '../support/fixtures.js';

// An authenticated citizen writing to the mailbox: the reply policy says send.
const context = {
  sesMessageId: 'limits',
  receivedAt: new Date('2026-11-25T10:00:00Z'),
  s3: { bucket: 'raw-mail', key: 'raw/limits' },
  envelopeSender: 'anna@gmail.com',
  verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' } as const,
};

function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer({
    from: 'Anna Jensen <anna@gmail.com>',
    to: 'ssidatabeskyttelse@ssi.dk',
    ...options,
  })
    .compile()
    .build();
}

describe('records and reply jobs are bounded', () => {
  it('builds a reply job that auto-reply accepts from a 10,000-character subject and 5,000 References', async () => {
    const references = Array.from({ length: 5_000 }, (_, i) => `<thread-${i}@gmail.com>`);
    const raw = await compose({
      subject: `Spørgsmål om mine oplysninger ${'ø'.repeat(10_000)}`,
      messageId: '<latest@gmail.com>',
      inReplyTo: '<thread-4999@gmail.com>',
      references,
      text: 'Hej, jeg har et spørgsmål.',
    });
    const { record, replyJob } = await triage(raw, context, DEFAULT_CONFIG);

    expect(replyJob).not.toBeNull();
    const job = readReplyJob(JSON.stringify(replyJob));
    expect(job.subject.length).toBeLessThanOrEqual(REPLY_JOB_CAPS.subjectChars);
    expect(job.references).toHaveLength(REPLY_JOB_CAPS.references);
    // The thread's root and its latest ids are kept.
    expect(job.references[0]).toBe('<thread-0@gmail.com>');
    expect(job.references.at(-1)).toBe('<thread-4999@gmail.com>');
    expect(triageRecordSchema.safeParse(record).success).toBe(true);
    expect(record.subject.length).toBeLessThanOrEqual(998);
    expect(record.parseErrors).toContain('field-cut: subject to 998 characters');
  });

  it('keeps a record of a mail with 500 long-named attachments (260 KB of names) under 256 KiB, the first 100 listed', async () => {
    const attachments = Array.from({ length: 500 }, (_, i) => ({
      filename: `${String(i).padStart(4, '0')}-${'scannet-dokument-'.repeat(30)}.pdf`,
      content: 'x',
      contentType: 'application/pdf',
    }));
    const raw = await compose({ subject: 'Bilag', text: 'Se bilag.', attachments });
    const { record } = await triage(raw, context, DEFAULT_CONFIG);

    expect(triageRecordSchema.safeParse(record).success).toBe(true);
    expect(jsonBytes(record)).toBeLessThan(MAX_RECORD_BYTES);
    expect(record.truncated).toBeUndefined();
    expect(record.attachments).toHaveLength(100);
    expect(record.attachments[0]?.filename?.startsWith('0000-')).toBe(true);
    expect(record.attachments[0]?.filename?.length).toBeLessThanOrEqual(255);
    expect(record.parseErrors).toContain('list-cut: attachments kept 100 of 500');
  });

  it('replaces a record still too large after capping by a minimal one marked truncated', async () => {
    const { record } = await triage(fixture('dsr-access-with-cpr-da.eml'), context, DEFAULT_CONFIG);
    expect(record.gdpr).not.toBeNull();
    // Control characters take six bytes each as JSON: capped lists of them stay too large.
    const wide = '\u0001'.repeat(400);
    const huge: TriageRecord = {
      ...record,
      to: Array.from({ length: 60 }, () => wide),
      cc: Array.from({ length: 60 }, () => wide),
      attachments: Array.from({ length: 200 }, () => ({
        filename: wide,
        contentType: wide,
        size: 1,
        sha256: 'a'.repeat(64),
      })),
    };

    const bounded = boundRecord(huge);

    expect(bounded.truncated).toBe(true);
    expect(triageRecordSchema.safeParse(bounded).success).toBe(true);
    expect(jsonBytes(bounded)).toBeLessThan(16 * 1024);
    expect(bounded.parseErrors[0]).toMatch(/^record-truncated: \d+ bytes as JSON, over 262144/);
    // What an owner needs to find the raw mail and act on it.
    expect(bounded).toMatchObject({
      sesMessageId: record.sesMessageId,
      receivedAt: record.receivedAt,
      s3: record.s3,
      headerMessageId: record.headerMessageId,
      topic: record.topic,
      autoReply: record.autoReply,
      gdpr: record.gdpr,
      pii: record.pii,
      to: [],
      cc: [],
      attachments: [],
      textPreview: '',
      confidence: record.confidence,
    });
  });

  it('leaves an ordinary record as it is', async () => {
    const { record } = await triage(fixture('fraud-sms-forwarded-da.eml'), context, DEFAULT_CONFIG);
    expect(boundRecord(record)).toEqual(record);
    expect(record.parseErrors).toEqual([]);
  });

  it('caps every list field generically, such as the signals list', () => {
    const record = {
      ...minimalRecord(),
      signals: Array.from({ length: 500 }, (_, i) => `signal-${i}-${'x'.repeat(5_000)}`),
    };
    const bounded = boundRecord(record as unknown as TriageRecord) as unknown as typeof record;
    expect(bounded.signals).toHaveLength(50);
    expect(bounded.signals.every((signal) => signal.length <= 1_000)).toBe(true);
    expect(bounded.parseErrors).toEqual([
      'list-cut: signals kept 50 of 500',
      'field-cut: signals to 1000 characters',
    ]);
  });

  it('caps the parse errors themselves, saying how many were left out', () => {
    const record = { ...minimalRecord(), parseErrors: Array.from({ length: 80 }, (_, i) => `error-${i}`) };
    const bounded = boundRecord(record);
    expect(bounded.parseErrors).toHaveLength(50);
    expect(bounded.parseErrors.at(-1)).toBe('parse-errors-capped: 31 more');
  });

  it('never cuts a string inside a surrogate pair', () => {
    expect(cutString('ab😀cd', 4)).toBe('ab…');
    expect(cutString('abc😀d', 5)).toBe('abc…');
    expect(cutString('short', 5)).toBe('short');
  });
});

function minimalRecord(): TriageRecord {
  return {
    schemaVersion: 1,
    sesMessageId: 'x',
    receivedAt: '2026-11-25T10:00:00.000Z',
    s3: null,
    headerMessageId: null,
    from: null,
    replyTo: null,
    to: [],
    cc: [],
    subject: '',
    language: 'unknown',
    topic: 'general',
    matchedRule: 'general',
    senderKind: 'unknown',
    encryption: 'none',
    signed: false,
    authentication: { spf: 'UNKNOWN', dkim: 'UNKNOWN', dmarc: 'UNKNOWN', spam: 'UNKNOWN', virus: 'UNKNOWN' },
    gdpr: null,
    pii: { cprCount: 0 },
    fraud: null,
    attachments: [],
    textPreview: '',
    autoReply: { decision: 'suppress', reason: 'missing-reply-address', template: null },
    parseErrors: [],
    signals: [],
    confidence: 'high',
    reference: 'SSI-DB-2026-4K7QM-2XP9C',
  };
}
