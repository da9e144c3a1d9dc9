import { describe, expect, it } from 'vitest';
import {
  type Case,
  CaseRefused,
  caseSchema,
  closeCase,
  extendCase,
  linkMail,
  openCase,
} from '../../functions/core/cases.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { caseSenderHash } from '../../functions/core/sender-hash.js';
import { triage } from '../../functions/core/triage.js';
import { caseFrom, TEST_SALT } from '../support/cases.js';
import { fixture } from '../support/fixtures.js';

const SALT = TEST_SALT;

describe('opening a case', () => {
  it('keeps the deadlines, confidence and storage key of a request, and nothing that identifies the sender', async () => {
    const { record, opened } = await caseFrom('dsr-erasure-en.eml', '2026-03-05T09:15:00Z');
    expect(opened).toMatchObject({
      reference: record.reference,
      right: 'erasure',
      receivedOn: '2026-03-05',
      dueOn: '2026-04-07', // 5 April 2026 is Easter Sunday, 6 April Easter Monday
      extensionNoticeBy: '2026-04-07',
      extendedDueOn: '2026-06-05',
      confidence: 'high',
      status: 'open',
      rawMailKey: `raw/${record.sesMessageId}`,
      version: 1,
    });
    expect(opened.history).toEqual([
      {
        at: '2026-03-05T09:15:00.000Z',
        by: 'mail-triage',
        what: 'opened',
        sesMessageId: record.sesMessageId,
      },
    ]);
    expect(caseSchema.parse(opened)).toEqual(opened);
    const stored = JSON.stringify(opened);
    for (const value of [
      record.from?.address,
      record.from?.name,
      record.subject,
      record.textPreview.slice(0, 40),
    ])
      expect(stored).not.toContain(value);
    expect(opened.senderHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('marks a possible request in the review lane as low confidence', async () => {
    const { opened } = await caseFrom('dsr-possible-request-subject-only-da.eml', '2026-03-05T09:15:00Z');
    expect(opened.confidence).toBe('low');
  });

  it('opens no case for mail that is not a data-subject request', async () => {
    const { record } = await triage(
      fixture('general-question-en.eml'),
      { sesMessageId: 'general-1', receivedAt: new Date('2026-03-05T09:15:00Z') },
      DEFAULT_CONFIG,
    );
    expect(openCase(record, null, new Date())).toBeNull();
  });
});

describe('the sender hash', () => {
  it('is the same for spellings of one address, differs by salt, and never equals the reply log hash', async () => {
    const { hashAddress } = await import('../../functions/auto-reply/auto-reply.js');
    expect(caseSenderHash('Anna.Lind+gdpr@GoogleMail.com', SALT)).toBe(
      caseSenderHash('annalind@gmail.com', SALT),
    );
    expect(caseSenderHash('annalind@gmail.com', SALT)).not.toBe(
      caseSenderHash('annalind@gmail.com', `${SALT}x`),
    );
    expect(caseSenderHash('annalind@gmail.com', SALT)).not.toBe(hashAddress('annalind@gmail.com', SALT));
  });
});

describe('linking a later mail', () => {
  it('records the linked SES message id once, however often the mail is processed', async () => {
    const { opened } = await caseFrom('dsr-erasure-en.eml', '2026-03-05T09:15:00Z');
    const at = new Date('2026-03-09T10:00:00Z');
    const linked = linkMail(opened, 'follow-up-1', at);
    expect(linked.history.at(-1)).toEqual({
      at: at.toISOString(),
      by: 'mail-triage',
      what: 'linked',
      sesMessageId: 'follow-up-1',
    });
    expect(linked.version).toBe(2);
    expect(linkMail(linked, 'follow-up-1', at)).toBe(linked);
    expect(linkMail(linked, opened.sesMessageId, at)).toBe(linked);
  });
});

describe('extending a case', () => {
  let opened: Case;
  const now = new Date('2026-04-01T08:00:00Z');

  it('moves an open case to extended and its due date to the extended one, before the notice date', async () => {
    ({ opened } = await caseFrom('dsr-erasure-en.eml', '2026-03-05T09:15:00Z'));
    const extended = extendCase(opened, '2026-04-01', 'dpo-jl', now);
    expect(extended).toMatchObject({ status: 'extended', dueOn: '2026-06-05', version: 2 });
    expect(extended.history.at(-1)).toEqual({
      at: now.toISOString(),
      by: 'dpo-jl',
      what: 'extended',
      dueOn: { from: '2026-04-07', to: '2026-06-05' },
    });
  });

  it('still extends on the notice date itself', () => {
    expect(extendCase(opened, '2026-04-07', 'dpo-jl', now).status).toBe('extended');
  });

  it('refuses after the notice date, saying why', () => {
    const refusal = catchRefusal(() => extendCase(opened, '2026-04-08', 'dpo-jl', now));
    expect(refusal.reason).toBe('notice-date-passed');
    expect(refusal.message).toContain('by 2026-04-07');
    expect(refusal.message).toContain('Art. 12(3)');
  });

  it('refuses a second extension and a closed case', () => {
    const extended = extendCase(opened, '2026-04-01', 'dpo-jl', now);
    expect(catchRefusal(() => extendCase(extended, '2026-04-02', 'dpo-jl', now)).reason).toBe(
      'already-extended',
    );
    const closed = closeCase(opened, 'dpo-jl', now, 1095);
    expect(catchRefusal(() => extendCase(closed, '2026-04-02', 'dpo-jl', now)).reason).toBe('closed');
  });
});

describe('closing a case', () => {
  it('closes an open or extended case, records who and when, and sets when it expires', async () => {
    const { opened } = await caseFrom('dsr-erasure-en.eml', '2026-03-05T09:15:00Z');
    const now = new Date('2026-03-20T12:00:00Z');
    const closed = closeCase(opened, 'dpo-jl', now, 1095);
    expect(closed.status).toBe('closed');
    expect(closed.history.at(-1)).toEqual({ at: now.toISOString(), by: 'dpo-jl', what: 'closed' });
    expect(closed.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 1095 * 86_400);
    const extended = extendCase(opened, '2026-03-20', 'dpo-jl', now);
    expect(closeCase(extended, 'dpo-jl', now, 1095).status).toBe('closed');
  });

  it('refuses to close a closed case', async () => {
    const { opened } = await caseFrom('dsr-erasure-en.eml', '2026-03-05T09:15:00Z');
    const closed = closeCase(opened, 'dpo-jl', new Date(), 1095);
    expect(catchRefusal(() => closeCase(closed, 'dpo-jl', new Date(), 1095)).reason).toBe('closed');
  });
});

function catchRefusal(run: () => unknown): CaseRefused {
  try {
    run();
  } catch (error) {
    if (error instanceof CaseRefused) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
