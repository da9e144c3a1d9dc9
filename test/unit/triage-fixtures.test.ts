import { describe, expect, it } from 'vitest';
import { configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { triage } from '../../functions/core/triage.js';
import type { ReceiptContext } from '../../functions/core/types.js';
import { fixture } from '../support/fixtures.js';

const context = (receivedAt = '2026-11-25T10:00:00Z'): ReceiptContext => ({
  sesMessageId: 'test-message-id',
  receivedAt: new Date(receivedAt),
});

async function triageFixture(name: string, receivedAt?: string, config = DEFAULT_CONFIG) {
  return triage(fixture(name), context(receivedAt), config);
}

describe('topics of the sample mails', () => {
  it.each([
    ['fraud-sms-forwarded-da.eml', 'fraud-sms', 'fraud-sms-subject', 'citizen'],
    ['fraud-sms-en.eml', 'fraud-sms', 'fraud-sms-subject', 'citizen'],
    ['fraud-sms-encoded-subject-da.eml', 'fraud-sms', 'fraud-sms-subject', 'citizen'],
    ['dsr-access-with-cpr-da.eml', 'data-subject-request', 'data-subject-request', 'citizen'],
    ['dsr-erasure-en.eml', 'data-subject-request', 'data-subject-request', 'citizen'],
    ['processing-notice-question-da.eml', 'processing-notice', 'processing-notice', 'citizen'],
    ['partner-smime-encrypted-authority.eml', 'partner', 'partner-encrypted', 'authority'],
    ['pgp-mime-company.eml', 'partner', 'partner-encrypted', 'unknown'],
    ['partner-breach-notice-authority-da.eml', 'partner', 'partner-sender', 'authority'],
    ['general-question-da.eml', 'general', 'general', 'citizen'],
    ['general-question-en.eml', 'general', 'general', 'citizen'],
    ['fraud-sms-pasted-no-phrase-da.eml', 'fraud-sms', 'fraud-sms-report', 'citizen'],
    ['quarantine-virus.eml', 'quarantine', 'quarantine-verdict', 'unknown'],
    ['spam-fail-newsletter.eml', 'quarantine', 'quarantine-verdict', 'unknown'],
  ])('routes %s to %s by rule %s (sender kind %s)', async (name, topic, rule, senderKind) => {
    const { record } = await triageFixture(name);
    expect(record.topic).toBe(topic);
    expect(record.matchedRule).toBe(rule);
    expect(record.senderKind).toBe(senderKind);
  });

  it.each([
    'newsletter-precedence-bulk.eml',
    'out-of-office-auto-submitted.eml',
    'mailing-list-discussion.eml',
  ])('does not start a GDPR case for machine-made or list mail that names a right (%s)', async (name) => {
    const { record } = await triageFixture(name);
    expect(record.signals).toContain('machine-mail');
    expect(record.signals.some((signal) => signal.startsWith('right-phrase:'))).toBe(true);
    expect(record.gdpr).toBeNull();
    expect(record.topic).toBe('general');
  });

  it('routes a right named only in the subject for review: no deadline acknowledgement, the clock still on the record', async () => {
    const { record, replyJob } = await triageFixture('dsr-possible-request-subject-only-da.eml');
    expect(record).toMatchObject({ topic: 'data-subject-request', confidence: 'low' });
    expect(record.gdpr?.right).toBe('access');
    expect(record.autoReply).toEqual({ decision: 'send', reason: 'eligible', template: 'general' });
    expect(replyJob?.gdpr).toBeNull();
  });

  it('gives a clear request the deadline acknowledgement with high confidence', async () => {
    const { record, replyJob } = await triageFixture('dsr-erasure-en.eml');
    expect(record).toMatchObject({ topic: 'data-subject-request', confidence: 'high' });
    expect(record.autoReply.template).toBe('data-subject-request');
    expect(replyJob?.gdpr?.right).toBe('erasure');
  });

  it('explains a fraud report without the subject phrase by its signals, and keeps its facts', async () => {
    const { record } = await triageFixture('fraud-sms-pasted-no-phrase-da.eml');
    expect(record.signals).toEqual(
      expect.arrayContaining(['body-sms-mention', 'body-link', 'body-impersonation', 'body-asks-if-genuine']),
    );
    expect(record.signals).not.toContain('subject-fraud-phrase');
    expect(record.fraud?.urls).toEqual(['ssi-opfoelgning[.]com/mitid']);
  });

  it('takes what an answer to our fraud reply adds as part of the report, not the links we quoted', async () => {
    const { record } = await triageFixture('fraud-sms-follow-up-to-our-reply-da.eml');
    expect(record.topic).toBe('fraud-sms');
    expect(record.signals).toContain('reply-to-auto-reply');
    expect(record.fraud).toEqual({ urls: ['ssi-post[.]help/brev/22'], phoneNumbers: ['+4542901765'] });
  });

  it('detects S/MIME and PGP/MIME encryption from the MIME structure', async () => {
    expect((await triageFixture('partner-smime-encrypted-authority.eml')).record.encryption).toBe('smime');
    expect((await triageFixture('pgp-mime-company.eml')).record.encryption).toBe('pgp');
    expect((await triageFixture('general-question-da.eml')).record.encryption).toBe('none');
  });

  it('treats a configured company domain as company and does not answer it', async () => {
    const config = configWithOverrides(
      { senders: { companyDomains: ['labpartner.example'] } },
      DEFAULT_CONFIG,
      'test',
    );
    const { record } = await triageFixture('pgp-mime-company.eml', undefined, config);
    expect(record.senderKind).toBe('company');
    expect(record.autoReply).toEqual({ decision: 'suppress', reason: 'partner-topic', template: null });
  });
});

describe('reply policy on the sample mails', () => {
  it.each([
    ['fraud-sms-forwarded-da.eml', 'fraud-sms'],
    ['fraud-sms-en.eml', 'fraud-sms'],
    ['dsr-access-with-cpr-da.eml', 'data-subject-request'],
    ['dsr-erasure-en.eml', 'data-subject-request'],
    ['processing-notice-question-da.eml', 'processing-notice'],
    ['general-question-da.eml', 'general'],
    ['general-question-en.eml', 'general'],
  ])('answers the citizen who wrote %s with the %s template', async (name, template) => {
    const { record, replyJob } = await triageFixture(name);
    expect(record.autoReply).toEqual({ decision: 'send', reason: 'eligible', template });
    expect(replyJob?.to).toBe(record.from?.address);
    expect(replyJob?.template).toBe(template);
    expect(replyJob?.inReplyTo).toBe(record.headerMessageId);
    expect(replyJob?.reference).toBe(record.reference);
  });

  it('tells the reply whether the mail is forwarded: owners configured for its topic, not for the reply template', async () => {
    const general = await triageFixture('general-question-da.eml');
    expect(general.replyJob?.forwarded).toBe(false);
    const withOwners = configWithOverrides(
      { forward: { general: ['borgerservice@ssi.dk'] } },
      DEFAULT_CONFIG,
    );
    expect((await triageFixture('general-question-da.eml', undefined, withOwners)).replyJob?.forwarded).toBe(
      true,
    );
    // A possible request gets the general reply, but it is forwarded as a request.
    const requestOwners = configWithOverrides(
      { forward: { 'data-subject-request': ['dpo@ssi.dk'] } },
      DEFAULT_CONFIG,
    );
    const possible = await triageFixture(
      'dsr-possible-request-subject-only-da.eml',
      undefined,
      requestOwners,
    );
    expect(possible.replyJob?.template).toBe('general');
    expect(possible.replyJob?.forwarded).toBe(true);
  });

  it.each([
    ['quarantine-virus.eml', 'spam-or-virus'],
    ['spam-fail-newsletter.eml', 'spam-or-virus'],
    ['spoofed-dmarc-fail.eml', 'authentication-failed'],
    ['out-of-office-auto-submitted.eml', 'auto-submitted'],
    ['our-own-reply-looped.eml', 'auto-submitted'],
    ['x-auto-response-suppress.eml', 'auto-response-suppressed'],
    ['newsletter-precedence-bulk.eml', 'precedence-bulk'],
    ['mailing-list-discussion.eml', 'mailing-list'],
    ['bounce-delivery-report.eml', 'delivery-report'],
    ['noreply-shop-receipt.eml', 'no-reply-sender'],
    ['colleague-internal.eml', 'own-address'],
    ['partner-smime-encrypted-authority.eml', 'partner-topic'],
    ['partner-breach-notice-authority-da.eml', 'partner-topic'],
    ['missing-from-broken-mime.eml', 'missing-reply-address'],
  ])('does not answer %s (%s)', async (name, reason) => {
    const { record, replyJob } = await triageFixture(name);
    expect(record.autoReply).toEqual({ decision: 'suppress', reason, template: null });
    expect(replyJob).toBeNull();
  });
});

describe('facts recorded for the owners', () => {
  it('counts and redacts CPR numbers, ignoring phone and order numbers', async () => {
    const { record, replyJob } = await triageFixture('dsr-access-with-cpr-da.eml', '2026-03-05T11:20:44Z');
    expect(record.pii.cprCount).toBe(1);
    expect(record.textPreview).not.toContain('010190-1234');
    expect(record.textPreview).toContain('[CPR]');
    expect(record.textPreview).toContain('+45 28 19 37 46');
    expect(replyJob?.cprWarning).toBe(true);
  });

  it('computes the GDPR deadline of an access request received on 5 March 2026 past Easter', async () => {
    const { record } = await triageFixture('dsr-access-with-cpr-da.eml', '2026-03-05T11:20:44Z');
    expect(record.gdpr).toEqual({
      right: 'access',
      article: 15,
      receivedOn: '2026-03-05',
      // 5 April 2026 is Easter Sunday and 6 April 2. påskedag.
      dueOn: '2026-04-07',
      extendedDueOn: '2026-06-05',
      extensionNoticeBy: '2026-04-07',
    });
  });

  it('counts the receipt day in Copenhagen time and ends a 31 January request at the end of February', async () => {
    const { record } = await triageFixture('dsr-erasure-en.eml', '2026-01-31T22:41:09Z');
    expect(record.gdpr?.right).toBe('erasure');
    expect(record.gdpr?.receivedOn).toBe('2026-01-31');
    // 28 February 2026 is a Saturday.
    expect(record.gdpr?.dueOn).toBe('2026-03-02');
    expect(record.pii.cprCount).toBe(1);
  });

  it('records defanged links and the sender number of a reported fraud SMS', async () => {
    const { record } = await triageFixture('fraud-sms-forwarded-da.eml');
    expect(record.fraud?.urls).toContain('hxxps://ssi-testsvar[.]example/verify?id=88213');
    expect(record.fraud?.phoneNumbers).toContain('+4571994210');
    expect(record.gdpr).toBeNull();
  });

  it('decodes an RFC 2047 subject and an ISO-8859-1 body', async () => {
    const { record } = await triageFixture('fraud-sms-encoded-subject-da.eml');
    expect(record.subject).toBe('SV: Svindel-SMS – fået i dag');
    expect(record.textPreview).toContain('fået en SMS');
    expect(record.language).toBe('da');
  });

  it('trusts only the topmost Authentication-Results of the receiving host', async () => {
    const { record } = await triageFixture('spoofed-dmarc-fail.eml');
    expect(record.authentication).toEqual({
      spf: 'FAIL',
      dkim: 'GRAY',
      dmarc: 'FAIL',
      spam: 'PASS',
      virus: 'PASS',
    });
  });

  it('hashes and sizes attachments without keeping them', async () => {
    const { record } = await triageFixture('quarantine-virus.eml');
    expect(record.attachments).toEqual([
      {
        filename: 'Faktura_88123.pdf.exe',
        contentType: 'application/octet-stream',
        size: 128,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it('still produces a record for broken MIME without a sender', async () => {
    const { record } = await triageFixture('missing-from-broken-mime.eml');
    expect(record.from).toBeNull();
    expect(record.parseErrors).toContain('from-missing-or-invalid');
    expect(record.topic).toBe('general');
  });

  it('fills every field of the TriageRecord', async () => {
    const { record } = await triageFixture('general-question-en.eml');
    expect(Object.keys(record).sort()).toEqual(
      [
        'schemaVersion',
        'sesMessageId',
        'receivedAt',
        's3',
        'headerMessageId',
        'from',
        'replyTo',
        'to',
        'cc',
        'subject',
        'language',
        'topic',
        'matchedRule',
        'senderKind',
        'encryption',
        'signed',
        'authentication',
        'gdpr',
        'pii',
        'fraud',
        'attachments',
        'textPreview',
        'autoReply',
        'parseErrors',
        'signals',
        'confidence',
        'reference',
      ].sort(),
    );
    expect(record.language).toBe('en');
    expect(record.to).toEqual(['ssidatabeskyttelse@ssi.dk']);
  });
});
