import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countCprNumbers, findCprNumbers, redactCpr } from '../../functions/core/cpr.js';

const two = (n: number) => String(n).padStart(2, '0');

/** A CPR number valid under the century rule, built independently of the code under test. */
const validCpr = fc
  .record({
    seventh: fc.integer({ min: 0, max: 9 }),
    yy: fc.integer({ min: 0, max: 99 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    rest: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ seventh, yy, month, day, rest }) => {
    const century =
      seventh <= 3
        ? 1900
        : seventh === 4 || seventh === 9
          ? yy <= 36
            ? 2000
            : 1900
          : yy <= 57
            ? 2000
            : 1800;
    const lastDay = new Date(Date.UTC(century + yy, month, 0)).getUTCDate();
    return `${two(Math.min(day, lastDay))}${two(month)}${two(yy)}${seventh}${String(rest).padStart(3, '0')}`;
  });

const words = fc.string({
  unit: fc.constantFrom(...'abcæøå ABCÆØÅ,;:!?()"\n\t'.split('')),
  maxLength: 30,
});

const ranges = (text: string) => findCprNumbers(text).map(({ start, end }) => text.slice(start, end));

describe('findCprNumbers', () => {
  it('finds a CPR number written with a hyphen and returns its character range', () => {
    expect(findCprNumbers('Mit nummer er 010190-1234, tak.')).toEqual([{ start: 14, end: 25 }]);
  });

  it('finds a CPR number with a space between the parts', () => {
    expect(ranges('CPR 010190 1234 og 020291-4321')).toEqual(['010190 1234', '020291-4321']);
  });

  it('finds CPR numbers with the hyphens word processors substitute (en dash, no-break hyphen)', () => {
    expect(ranges('010190\u20131234 010190\u20111234')).toEqual(['010190\u20131234', '010190\u20111234']);
  });

  it('finds CPR numbers listed with only spaces between them', () => {
    expect(countCprNumbers('Børnenes cpr: 010110-4321 020212-4321 030314-4321')).toBe(3);
  });

  it('accepts numbers that fail the old modulus-11 check', () => {
    // 010190-1235 fails modulus 11 (weights 4 3 2 7 6 5 4 3 2 1); such numbers are issued since 2007.
    expect(countCprNumbers('010190-1235')).toBe(1);
  });

  it('applies the century rule to leap days', () => {
    expect(countCprNumbers('290200-4000')).toBe(1); // 2000 is a leap year
    expect(countCprNumbers('290200-0000')).toBe(0); // 1900 is not
    expect(countCprNumbers('290256-5000')).toBe(1); // 2056
  });

  it('reads the seventh digit for the century (5–8 with YY ≥ 58 means the 1800s)', () => {
    expect(countCprNumbers('290258-5000')).toBe(0); // 1858 is not a leap year
    expect(countCprNumbers('290260-5000')).toBe(1); // 1860 is
    expect(countCprNumbers('290296-9000')).toBe(1); // 1996
    expect(countCprNumbers('290297-4000')).toBe(0); // 1997
  });

  it('finds a bare ten-digit run after a CPR keyword', () => {
    for (const text of [
      'CPR: 0101901234',
      'cpr-nr. 0101901234',
      'cpr.nr.0101901234',
      'Mit CPR-nummer er 0101901234',
      'personnummer 0101901234',
      'Personnr.: 0101901234',
      'My civil registration number is 0101901234',
      'CPR number: 0101901234',
      'Personal ID number 0101901234',
      'sygesikringsnummer: 0101901234',
    ]) {
      expect(countCprNumbers(text), text).toBe(1);
    }
  });

  it('finds a bare ten-digit run on the line after its keyword', () => {
    expect(countCprNumbers('Mit CPR-nummer:\n0101901234')).toBe(1);
  });

  it('ignores a bare ten-digit run without a keyword near before it', () => {
    expect(countCprNumbers('Ordrenummer 0101901234')).toBe(0);
    expect(
      countCprNumbers('Mit cpr-nummer står i brevet, som jeg sendte jer i sidste uge. Sag 0101901234'),
    ).toBe(0);
    expect(countCprNumbers('cpr\n\n\nSag 0101901234')).toBe(0);
    expect(countCprNumbers('0101901234 er mit cpr')).toBe(0);
  });

  it('does not take phone numbers for CPR numbers', () => {
    expect(countCprNumbers('Ring på +45 12 34 56 78 eller 12345678')).toBe(0);
    expect(countCprNumbers('cpr? Nej, ring +4501019012 eller +310101901234')).toBe(0);
  });

  it('does not take dates for CPR numbers', () => {
    expect(countCprNumbers('Mødet er 12-03-2026 kl. 10, eller 2026-03-12')).toBe(0);
  });

  it('does not take order numbers whose first six digits are no date for CPR numbers', () => {
    expect(countCprNumbers('Ordre 991399-1234 og sag 123456-7890 og 010013-1234')).toBe(0);
  });

  it('never matches digits inside a longer number', () => {
    expect(countCprNumbers('12010190-1234')).toBe(0);
    expect(countCprNumbers('010190-12345')).toBe(0);
    expect(countCprNumbers('12-010190-1234')).toBe(0);
    expect(countCprNumbers('010190-1234-5')).toBe(0);
    expect(countCprNumbers('4.010190-1234')).toBe(0);
    expect(countCprNumbers('cpr 01019012345')).toBe(0);
  });

  it('returns ordered, non-overlapping ranges of ten or eleven characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789- cpr\n+'.split('')) }), (text) => {
        let previousEnd = 0;
        for (const { start, end } of findCprNumbers(text)) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect([10, 11]).toContain(end - start);
          previousEnd = end;
        }
      }),
    );
  });

  it('counts every valid CPR number embedded in random text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(words, validCpr, fc.constantFrom('-', ' ')), { maxLength: 8 }),
        words,
        (parts, tail) => {
          const text =
            parts.map(([before, cpr, sep]) => `${before} ${cpr.slice(0, 6)}${sep}${cpr.slice(6)} `).join('') +
            tail;
          expect(countCprNumbers(text)).toBe(parts.length);
        },
      ),
    );
  });

  it('counts a valid bare CPR number right after a keyword', () => {
    fc.assert(
      fc.property(
        words,
        validCpr,
        fc.constantFrom('CPR: ', 'cpr-nr. ', 'personnummer ', 'CPR number '),
        (before, cpr, keyword) => {
          expect(countCprNumbers(`${before} ${keyword}${cpr}`)).toBe(1);
        },
      ),
    );
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (text) => {
        expect(() => findCprNumbers(text)).not.toThrow();
      }),
    );
  });

  it('scans 200,000 characters of digits and separators quickly', () => {
    const text = '0101901234-5 '.repeat(16_000).slice(0, 200_000);
    const started = performance.now();
    findCprNumbers(text);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('redactCpr', () => {
  it('replaces each CPR number with [CPR] and keeps the rest', () => {
    expect(redactCpr('Hej, mit CPR er 010190-1234 og min søns er 0101121234.')).toBe(
      'Hej, mit CPR er [CPR] og min søns er [CPR].',
    );
  });

  it('leaves text without CPR numbers unchanged', () => {
    const text = 'Ring på +45 12 34 56 78, ordre 991399-1234, dato 12-03-2026.';
    expect(redactCpr(text)).toBe(text);
  });

  it('lets one keyword reach a bare run through a list of CPR numbers before it', () => {
    const text = 'cpr: 010190-1234, 020290-1234, 040490-1234 / 0303901234';
    expect(countCprNumbers(text)).toBe(4);
    expect(redactCpr(text)).toBe('cpr: [CPR], [CPR], [CPR] / [CPR]');
  });

  it('does not treat its own [CPR] mark as a keyword', () => {
    expect(redactCpr('010190-1234 ordre 0101901234')).toBe('[CPR] ordre 0101901234');
    expect(countCprNumbers('[CPR] ordre 0101901234')).toBe(0);
  });

  it('leaves no CPR number behind in any text, in a single pass', () => {
    const pieces = fc.oneof(
      validCpr,
      validCpr.map((cpr) => `${cpr.slice(0, 6)}-${cpr.slice(6)}`),
      fc.constantFrom(
        'cpr ',
        'CPR-nr: ',
        'personnummer',
        '\n',
        ' ',
        ', ',
        '-',
        '+',
        '.',
        '7',
        'x',
        'y'.repeat(15),
      ),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const redacted = redactCpr(text);
        expect(findCprNumbers(redacted)).toEqual([]);
        expect(redacted.split('[CPR]').length - 1).toBe(countCprNumbers(text));
      }),
    );
  });
});
