import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { danishPublicHolidays, easterSunday } from '../../functions/core/danish-holidays.js';

const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();

describe('easterSunday', () => {
  it.each([
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('puts Easter %i on %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('always falls on a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const easter = easterSunday(year);
        expect(weekday(easter)).toBe(0);
        const monthDay = easter.slice(5);
        expect(monthDay >= '03-22' && monthDay <= '04-25').toBe(true);
      }),
    );
  });

  it('rejects years the Gregorian computus does not cover', () => {
    expect(() => easterSunday(1582)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});

describe('danishPublicHolidays', () => {
  it('lists the ten holidays of 2026, without Store bededag', () => {
    expect([...danishPublicHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-02',
      '2026-04-03',
      '2026-04-05',
      '2026-04-06',
      '2026-05-14',
      '2026-05-24',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('includes Store bededag (the fourth Friday after Easter) up to 2023', () => {
    const holidays = danishPublicHolidays(2023);
    expect(holidays.has('2023-05-05')).toBe(true);
    expect(weekday('2023-05-05')).toBe(5);
    expect(holidays.size).toBe(11);
  });

  it('drops Store bededag from 2024 on', () => {
    expect(danishPublicHolidays(2024).has('2024-04-26')).toBe(false);
    expect(danishPublicHolidays(2024).size).toBe(10);
  });

  it('does not treat Grundlovsdag, juleaftensdag or nytårsaftensdag as public holidays', () => {
    const holidays = danishPublicHolidays(2026);
    for (const day of ['2026-06-05', '2026-12-24', '2026-12-31']) expect(holidays.has(day)).toBe(false);
  });

  it('places the moving holidays on their weekdays relative to Easter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const easter = new Date(`${easterSunday(year)}T00:00:00Z`).getTime();
        const at = (offset: number) => new Date(easter + offset * 86_400_000).toISOString().slice(0, 10);
        const holidays = danishPublicHolidays(year);
        for (const offset of [-3, -2, 0, 1, 39, 49, 50]) expect(holidays.has(at(offset))).toBe(true);
        expect(holidays.has(at(26))).toBe(year <= 2023);
      }),
    );
  });

  it('returns a fresh set each time, so one caller cannot change another’s holidays', () => {
    danishPublicHolidays(2026).add('2026-06-05');
    expect(danishPublicHolidays(2026).has('2026-06-05')).toBe(false);
  });
});
