import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { type Case, closeCase, extendCase } from '../../functions/core/cases.js';
import { composeDigest, digestText } from '../../functions/core/compose-digest.js';
import { localDate } from '../../functions/core/deadline.js';
import { buildDigest, caseCounts, isDigestDay } from '../../functions/core/digest.js';
import { isWorkingDay, nextWorkingDayAfter, workingDaysUntil } from '../../functions/core/working-days.js';
import { caseFrom } from '../support/cases.js';

const SETTINGS = { dueSoonWorkingDays: 5, extraClosingDays: [] as string[] };
const REQUEST = 'dsr-erasure-en.eml';

describe('the digest days', () => {
  it('skips Maundy Thursday 2027, Good Friday, the weekend and Easter Monday; the next digest is Tuesday 30 March', () => {
    expect(isDigestDay('2027-03-24', [])).toBe(true);
    for (const day of ['2027-03-25', '2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29'])
      expect(isDigestDay(day, [])).toBe(false);
    expect(nextWorkingDayAfter('2027-03-24', [])).toBe('2027-03-30');
    expect(isDigestDay('2027-03-30', [])).toBe(true);
  });

  it('skips configured closing days such as grundlovsdag and juleaftensdag', () => {
    expect(isDigestDay('2027-06-04', [])).toBe(true); // a Friday, no public holiday
    expect(isDigestDay('2027-06-04', ['2027-06-04'])).toBe(false);
    expect(nextWorkingDayAfter('2026-12-23', ['2026-12-24', '2026-12-31'])).toBe('2026-12-28');
  });

  it('takes the date in Copenhagen: 07:30 local is 06:30 UTC in winter and 05:30 UTC in summer', () => {
    // The Sunday 28 March 2027 is Easter Sunday and the switch to summer time.
    expect(localDate(new Date('2027-03-30T05:30:00Z'), 'Europe/Copenhagen')).toBe('2027-03-30');
    expect(localDate(new Date('2027-03-26T06:30:00Z'), 'Europe/Copenhagen')).toBe('2027-03-26');
    expect(localDate(new Date('2026-10-26T06:30:00Z'), 'Europe/Copenhagen')).toBe('2026-10-26');
  });
});

describe('working days left', () => {
  it('counts working days after today up to the due date, 0 on the day, negative once past', () => {
    expect(workingDaysUntil('2027-03-24', '2027-03-30', [])).toBe(1); // Easter in between
    expect(workingDaysUntil('2027-03-30', '2027-03-30', [])).toBe(0);
    expect(workingDaysUntil('2027-03-31', '2027-03-30', [])).toBe(-1);
    expect(workingDaysUntil('2027-04-05', '2027-03-30', [])).toBe(-4);
    expect(workingDaysUntil('2027-03-26', '2027-03-29', [])).toBe(0); // only closed days between
    expect(isWorkingDay('2027-03-29', [])).toBe(false);
  });

  it('rejects a date that does not exist', () => {
    expect(() => workingDaysUntil('2027-02-29', '2027-03-30', [])).toThrow(RangeError);
  });
});

describe('what goes in the digest', () => {
  it('lists a case received 31 January 2028 as due on 29 February: from five working days before, on the day, then overdue', async () => {
    const { opened } = await caseFrom(REQUEST, '2028-01-31T09:00:00Z');
    expect(opened.dueOn).toBe('2028-02-29');
    const on = (today: string) => buildDigest([opened], today, SETTINGS);
    expect(on('2028-02-21')).toBeNull(); // Monday: six working days left
    // An open case nearing its one-month date: answer, or give notice of an extension, by then.
    expect(on('2028-02-22')).toEqual({
      today: '2028-02-22',
      overdue: [],
      extensionNoticeDue: [
        {
          reference: opened.reference,
          right: 'erasure',
          dueOn: '2028-02-29',
          workingDaysLeft: 5,
          confidence: 'high',
          extended: false,
          extensionNoticeBy: '2028-02-29',
        },
      ],
      dueSoon: [],
    });
    expect(on('2028-02-29')?.extensionNoticeDue[0]?.workingDaysLeft).toBe(0);
    expect(on('2028-03-01')?.overdue).toEqual([
      expect.objectContaining({ reference: opened.reference, dueOn: '2028-02-29', workingDaysLeft: -1 }),
    ]);
    expect(on('2028-03-01')?.extensionNoticeDue).toEqual([]);
  });

  it('counts across a month end and a weekend: received 31 October 2026, due Monday 30 November', async () => {
    const { opened } = await caseFrom(REQUEST, '2026-10-31T10:00:00Z');
    expect(opened.dueOn).toBe('2026-11-30');
    const digest = buildDigest([opened], '2026-11-27', SETTINGS);
    expect(digest?.extensionNoticeDue[0]).toMatchObject({ dueOn: '2026-11-30', workingDaysLeft: 1 });
  });

  it('moves a due date on 31 March 2027 (after Easter) and counts Easter out: received 28 February, due 29 March → 30 March', async () => {
    const { opened } = await caseFrom(REQUEST, '2027-02-28T10:00:00Z');
    // 28 March is Easter Sunday, 29 March Easter Monday: the period ends on the Tuesday.
    expect(opened.dueOn).toBe('2027-03-30');
    expect(buildDigest([opened], '2027-03-24', SETTINGS)?.extensionNoticeDue[0]?.workingDaysLeft).toBe(1);
  });

  it('lists an extended case nearing its extended date as due soon, and never a closed one', async () => {
    const { opened } = await caseFrom(REQUEST, '2028-01-31T09:00:00Z');
    const extended = extendCase(opened, '2028-02-10', 'dpo', new Date('2028-02-10T09:00:00Z'));
    expect(extended.dueOn).toBe('2028-05-01'); // 30 April 2028 is a Sunday
    const closed = closeCase(
      (await caseFrom(REQUEST, '2028-01-31T09:00:00Z', 'other')).opened,
      'dpo',
      new Date('2028-02-10T09:00:00Z'),
      1095,
    );
    const digest = buildDigest([extended, closed], '2028-04-25', SETTINGS);
    expect(digest?.dueSoon).toEqual([
      expect.objectContaining({ reference: extended.reference, extended: true, workingDaysLeft: 4 }),
    ]);
    expect(digest?.overdue).toEqual([]);
    expect(digest?.extensionNoticeDue).toEqual([]);
    expect(buildDigest([closed], '2028-03-10', SETTINGS)).toBeNull();
  });

  it('puts each case under its most urgent heading, most urgent first, and counts open and overdue cases', async () => {
    const late = (await caseFrom(REQUEST, '2027-01-04T09:00:00Z', 'late')).opened; // due 2027-02-04
    const later = (await caseFrom(REQUEST, '2027-01-11T09:00:00Z', 'later')).opened; // due 2027-02-11
    const soon = (await caseFrom(REQUEST, '2027-01-20T09:00:00Z', 'soon')).opened; // due 2027-02-22
    const far = (await caseFrom(REQUEST, '2027-02-10T09:00:00Z', 'far')).opened; // due 2027-03-10
    const digest = buildDigest([far, soon, later, late], '2027-02-16', SETTINGS);
    expect(digest?.overdue.map((line) => line.reference)).toEqual([late.reference, later.reference]);
    expect(digest?.extensionNoticeDue.map((line) => line.reference)).toEqual([soon.reference]);
    expect(digest?.dueSoon).toEqual([]);
    expect(caseCounts([far, soon, later, late], '2027-02-16')).toEqual({ open: 4, overdue: 2 });
  });

  it('says nothing when nothing is due within the window, which is configurable', async () => {
    const { opened } = await caseFrom(REQUEST, '2027-02-10T09:00:00Z'); // due 2027-03-10
    expect(buildDigest([opened], '2027-02-16', SETTINGS)).toBeNull();
    expect(buildDigest([], '2027-02-16', SETTINGS)).toBeNull();
    expect(buildDigest([opened], '2027-02-16', { ...SETTINGS, dueSoonWorkingDays: 20 })).not.toBeNull();
  });
});

describe('the digest mail', () => {
  async function sample(): Promise<Case[]> {
    const late = (await caseFrom(REQUEST, '2027-01-04T09:00:00Z', 'late')).opened;
    const review = (
      await caseFrom('dsr-possible-request-subject-only-da.eml', '2027-01-20T09:00:00Z', 'review')
    ).opened;
    return [late, review];
  }

  it('is one bilingual auto-generated mail, Danish first, each line with reference, right, due date, days left and confidence', async () => {
    const cases = await sample();
    const digest = buildDigest(cases, '2027-02-16', SETTINGS);
    if (!digest) throw new Error('expected a digest');
    const raw = await composeDigest(
      digest,
      { from: 'mailtriage@ssi.dk', to: ['dpo@ssi.dk'], dueSoonWorkingDays: 5 },
      new Date('2027-02-16T06:30:00Z'),
    );
    const mail = await simpleParser(raw);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.subject).toBe('GDPR-frister: 1 overskredet, 1 snart / GDPR deadlines: 1 overdue, 1 due soon');
    const text = mail.text ?? '';
    expect(text.indexOf('Overskredet')).toBeLessThan(text.indexOf('Overdue'));
    const [late, review] = cases;
    expect(text).toContain(
      `${late?.reference} | sletning (art. 17) | frist 2027-02-04 | 8 arbejdsdage over fristen | sikkerhed: høj`,
    );
    expect(text).toContain(
      `${late?.reference} | erasure (Art. 17) | due 2027-02-04 | 8 working days overdue | confidence: high`,
    );
    expect(text).toContain(`${review?.reference} |`);
    expect(text).toContain('confidence: low (review)');
    expect(text).toContain('npm run cases -- close <reference>');
  });

  it('carries no personal data of the requests it lists', async () => {
    const late = await caseFrom(REQUEST, '2027-01-04T09:00:00Z', 'late');
    const digest = buildDigest([late.opened], '2027-02-16', SETTINGS);
    if (!digest) throw new Error('expected a digest');
    const text = digestText(digest, 5);
    const { record } = late;
    for (const value of [
      record.from?.address,
      record.from?.name,
      record.subject,
      record.textPreview.slice(0, 30),
    ])
      expect(text).not.toContain(value);
    expect(text).not.toMatch(/@/);
  });
});
