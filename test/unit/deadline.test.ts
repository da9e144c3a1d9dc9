import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { danishPublicHolidays } from '../../functions/core/danish-holidays.js';
import { addMonths, computeDeadlines, localDate, nextWorkingDay } from '../../functions/core/deadline.js';

const COPENHAGEN = { timeZone: 'Europe/Copenhagen', extraClosingDays: [] as string[] };
const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
const daysBetween = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
/** Noon in Copenhagen on a date, far from any midnight boundary. */
const noon = (iso: string) => new Date(`${iso}T11:00:00Z`);

describe('localDate', () => {
  it('puts 23:30 UTC on 31 March on 1 April in Copenhagen summer time', () => {
    expect(localDate(new Date('2026-03-31T23:30:00Z'), 'Europe/Copenhagen')).toBe('2026-04-01');
  });

  it('changes the Copenhagen date at 23:00 UTC in winter (CET, UTC+1)', () => {
    expect(localDate(new Date('2026-01-14T22:59:59.999Z'), 'Europe/Copenhagen')).toBe('2026-01-14');
    expect(localDate(new Date('2026-01-14T23:00:00Z'), 'Europe/Copenhagen')).toBe('2026-01-15');
  });

  it('changes the Copenhagen date at 22:00 UTC in summer (CEST, UTC+2)', () => {
    expect(localDate(new Date('2026-06-30T21:59:59.999Z'), 'Europe/Copenhagen')).toBe('2026-06-30');
    expect(localDate(new Date('2026-06-30T22:00:00Z'), 'Europe/Copenhagen')).toBe('2026-07-01');
  });

  it('uses the zone it is given, not the host’s', () => {
    expect(localDate(new Date('2026-01-14T23:30:00Z'), 'UTC')).toBe('2026-01-14');
    expect(localDate(new Date('2026-01-14T23:30:00Z'), 'America/New_York')).toBe('2026-01-14');
  });

  it('rejects an invalid Date and an unknown zone', () => {
    expect(() => localDate(new Date(Number.NaN), 'Europe/Copenhagen')).toThrow(RangeError);
    expect(() => localDate(new Date(), 'Europe/Atlantis')).toThrow(RangeError);
  });
});

describe('addMonths', () => {
  it('keeps the day of the month when it exists in the target month', () => {
    expect(addMonths('2026-03-05', 1)).toBe('2026-04-05');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
  });

  it('ends on the last day of a shorter month (Regulation 1182/71 art. 3(2)(c))', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });

  it('crosses year ends in both directions', () => {
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });

  it('rejects malformed dates and fractional months', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('5 March 2026', 1)).toThrow(RangeError);
    expect(() => addMonths('2026-03-05', 1.5)).toThrow(RangeError);
  });
});

describe('nextWorkingDay', () => {
  it('returns a working day unchanged', () => {
    expect(nextWorkingDay('2026-04-07', [])).toBe('2026-04-07');
  });

  it('moves a Saturday to the Monday after', () => {
    expect(nextWorkingDay('2026-02-28', [])).toBe('2026-03-02');
  });

  it('moves Skærtorsdag past the whole Easter to the Tuesday after 2. påskedag', () => {
    expect(nextWorkingDay('2026-04-02', [])).toBe('2026-04-07');
  });

  it('skips extra closing days from configuration and the holidays behind them', () => {
    expect(nextWorkingDay('2026-12-24', [])).toBe('2026-12-24');
    expect(nextWorkingDay('2026-12-24', ['2026-12-24', '2026-12-31'])).toBe('2026-12-28');
  });
});

describe('computeDeadlines', () => {
  it('follows the EDPB example: received 5 March, answered by 5 April', () => {
    expect(computeDeadlines(noon('2024-03-05'), COPENHAGEN)).toEqual({
      receivedOn: '2024-03-05',
      dueOn: '2024-04-05',
      extendedDueOn: '2024-06-05',
      extensionNoticeBy: '2024-04-05',
    });
  });

  it('moves a deadline on Skærtorsdag to the Tuesday after Easter', () => {
    const deadlines = computeDeadlines(noon('2026-03-02'), COPENHAGEN);
    expect(deadlines.dueOn).toBe('2026-04-07');
    expect(deadlines.extensionNoticeBy).toBe('2026-04-07');
    expect(deadlines.extendedDueOn).toBe('2026-06-02');
  });

  it('moves deadlines on Langfredag and Påskedag to the Tuesday after Easter', () => {
    expect(computeDeadlines(noon('2026-03-03'), COPENHAGEN).dueOn).toBe('2026-04-07');
    expect(computeDeadlines(noon('2026-03-05'), COPENHAGEN).dueOn).toBe('2026-04-07');
  });

  it('ends a request received on 31 January on the last day of February, or the next working day', () => {
    expect(computeDeadlines(noon('2028-01-31'), COPENHAGEN).dueOn).toBe('2028-02-29');
    // 2026-02-28 is a Saturday.
    expect(computeDeadlines(noon('2026-01-31'), COPENHAGEN).dueOn).toBe('2026-03-02');
  });

  it('moves a deadline on Juledag past 2. juledag and the weekend', () => {
    expect(computeDeadlines(noon('2025-11-25'), COPENHAGEN).dueOn).toBe('2025-12-29');
  });

  it('moves a deadline on Nytårsdag into the new year’s first working day', () => {
    expect(computeDeadlines(noon('2026-12-01'), COPENHAGEN).dueOn).toBe('2027-01-04');
  });

  it('moves deadlines on Kristi himmelfartsdag and 2. pinsedag to the next day', () => {
    expect(computeDeadlines(noon('2026-04-14'), COPENHAGEN).dueOn).toBe('2026-05-15');
    expect(computeDeadlines(noon('2026-04-25'), COPENHAGEN).dueOn).toBe('2026-05-26');
  });

  it('moves a deadline on Store bededag 2023 to the Monday after', () => {
    expect(computeDeadlines(noon('2023-04-05'), COPENHAGEN).dueOn).toBe('2023-05-08');
  });

  it('keeps Friday 1 May 2026 as a deadline, since Store bededag is abolished from 2024', () => {
    expect(computeDeadlines(noon('2026-04-01'), COPENHAGEN).dueOn).toBe('2026-05-01');
  });

  it('counts from the Copenhagen date when a mail arrives just before UTC midnight in summer', () => {
    expect(computeDeadlines(new Date('2026-03-31T23:30:00Z'), COPENHAGEN)).toEqual({
      receivedOn: '2026-04-01',
      dueOn: '2026-05-01',
      extendedDueOn: '2026-07-01',
      extensionNoticeBy: '2026-05-01',
    });
    expect(computeDeadlines(new Date('2026-03-31T21:59:59Z'), COPENHAGEN).receivedOn).toBe('2026-03-31');
  });

  it('counts from the Copenhagen date when a mail arrives just before UTC midnight in winter', () => {
    const late = computeDeadlines(new Date('2026-02-04T23:15:00Z'), COPENHAGEN);
    expect(late.receivedOn).toBe('2026-02-05');
    expect(late.dueOn).toBe('2026-03-05');
    const early = computeDeadlines(new Date('2026-02-04T22:59:59Z'), COPENHAGEN);
    expect(early.receivedOn).toBe('2026-02-04');
    expect(early.dueOn).toBe('2026-03-04');
  });

  it('skips configured closing days such as Grundlovsdag and juleaftensdag', () => {
    const calendar = { timeZone: 'Europe/Copenhagen', extraClosingDays: ['2026-06-05', '2026-12-24'] };
    expect(computeDeadlines(noon('2026-05-05'), calendar).dueOn).toBe('2026-06-08');
    expect(computeDeadlines(noon('2026-11-24'), calendar).dueOn).toBe('2026-12-28');
    expect(computeDeadlines(noon('2026-11-24'), COPENHAGEN).dueOn).toBe('2026-12-24');
  });

  describe('for any instant from 2000 to 2100', () => {
    const instants = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    const isWorkingDay = (iso: string) =>
      weekday(iso) !== 0 && weekday(iso) !== 6 && !danishPublicHolidays(Number(iso.slice(0, 4))).has(iso);

    it('ends on a working day no earlier than, and at most 6 days after, the plain one-month date', () => {
      fc.assert(
        fc.property(instants, (receivedAt) => {
          const { receivedOn, dueOn, extendedDueOn, extensionNoticeBy } = computeDeadlines(
            receivedAt,
            COPENHAGEN,
          );
          const plain = addMonths(receivedOn, 1);
          expect(isWorkingDay(dueOn)).toBe(true);
          expect(isWorkingDay(extendedDueOn)).toBe(true);
          expect(dueOn >= plain).toBe(true);
          expect(daysBetween(plain, dueOn)).toBeLessThanOrEqual(6);
          expect(extensionNoticeBy).toBe(dueOn);
        }),
        { numRuns: 2000 },
      );
    });

    it('orders receipt before the deadline and the deadline no later than the extended one', () => {
      fc.assert(
        fc.property(instants, (receivedAt) => {
          const { receivedOn, dueOn, extendedDueOn } = computeDeadlines(receivedAt, COPENHAGEN);
          expect(receivedOn < dueOn).toBe(true);
          expect(dueOn <= extendedDueOn).toBe(true);
          expect(daysBetween(receivedOn, extendedDueOn)).toBeLessThanOrEqual(92 + 6);
        }),
        { numRuns: 2000 },
      );
    });

    it('receives on the Copenhagen calendar date, which is the UTC date or the day after', () => {
      fc.assert(
        fc.property(instants, (receivedAt) => {
          const { receivedOn } = computeDeadlines(receivedAt, COPENHAGEN);
          const utcDate = receivedAt.toISOString().slice(0, 10);
          expect([0, 1]).toContain(daysBetween(utcDate, receivedOn));
        }),
      );
    });
  });
});
