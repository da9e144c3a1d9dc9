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

  it('returns ordered, non-overlapping ranges that each hold exactly ten digits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789- cpr\n+.\t\u200b\u00a0０'.split('')) }),
        (text) => {
          let previousEnd = 0;
          for (const { start, end } of findCprNumbers(text)) {
            expect(start).toBeGreaterThanOrEqual(previousEnd);
            expect(text.slice(start, end).normalize('NFKC').replace(/\D/g, '')).toHaveLength(10);
            previousEnd = end;
          }
        },
      ),
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

describe('findCprNumbers on text as pasted, typed and linked', () => {
  it.each([
    ['spaces around the hyphen', 'Mit cpr er 010190 - 1234, tak', '010190 - 1234'],
    ['a dotted date and a hyphen', 'Født 01.01.90-1234', '01.01.90-1234'],
    ['a tab between the parts', 'nr.\t010190\t1234\tslut', '010190\t1234'],
    ['two spaces between the parts', 'nr. 010190  1234 slut', '010190  1234'],
    ['a line break between the parts', 'nummer 010190\n1234 slut', '010190\n1234'],
    ['a CR LF line break between the parts', 'nummer 010190\r\n1234 slut', '010190\r\n1234'],
    ['a no-break space between the parts', 'nr. 010190\u00a01234', '010190\u00a01234'],
    ['a narrow no-break space between the parts', 'nr. 010190\u202f1234', '010190\u202f1234'],
    [
      'zero-width characters between the digits',
      'nr. 01\u200b01\u200c90-\u200d12\u20603\ufeff4',
      '01\u200b01\u200c90-\u200d12\u20603\ufeff4',
    ],
    ['a soft hyphen between the digits', 'nr. 0101\u00ad90-1234', '0101\u00ad90-1234'],
    ['full-width digits and hyphen', 'ＣＰＲ：０１０１９０－１２３４', '０１０１９０－１２３４'],
    [
      'full-width digits without a separator after a keyword',
      'ＣＰＲ ０１０１９０１２３４',
      '０１０１９０１２３４',
    ],
    [
      'a small hyphen, a minus sign and an em dash',
      '010190\ufe631234 020290\u22121234 030390\u20141234',
      '010190\ufe631234',
    ],
  ])('finds a CPR number written with %s', (_form, text, first) => {
    const found = ranges(text);
    expect(found[0]).toBe(first);
    expect(redactCpr(text)).not.toMatch(/\p{Nd}/u);
  });

  it('finds a CPR number in a link query whose parameter is named cpr', () => {
    expect(redactCpr('Se https://borger.example/sag?cpr=0101901234&side=to')).toBe(
      'Se https://borger.example/sag?cpr=[CPR]&side=to',
    );
    expect(redactCpr('https://borger.example/sag?CPR_NR=010190-1234')).toBe(
      'https://borger.example/sag?CPR_NR=[CPR]',
    );
    expect(redactCpr('https://borger.example/personnummer/0101901234')).toBe(
      'https://borger.example/personnummer/[CPR]',
    );
  });

  it('finds a hyphenated CPR number in any link, but a bare ten-digit run only after a cpr keyword', () => {
    expect(redactCpr('https://borger.example/sag?id=010190-1234')).toBe(
      'https://borger.example/sag?id=[CPR]',
    );
    // A Unix time (1712345678 reads as 17-12-34, serial 5678) is no CPR number.
    expect(countCprNumbers('https://track.example/p?t=1712345678&id=0101901234')).toBe(0);
  });

  it('finds CPR numbers in attachment file names', () => {
    expect(redactCpr('010190-1234.pdf')).toBe('[CPR].pdf');
    expect(redactCpr('cpr_0101901234_scan.jpg')).toBe('cpr_[CPR]_scan.jpg');
    expect(redactCpr('CPR-0101901234.png')).toBe('CPR-[CPR].png');
    expect(redactCpr('scan 01.01.90-1234 side 2.jpg')).toBe('scan [CPR] side 2.jpg');
  });

  it('redacts only the number and keeps the rest of the text as it was written', () => {
    expect(redactCpr('Ａ\u200b ０１０１９０－１２３４\u00a0Ｂ\tc')).toBe('Ａ\u200b [CPR]\u00a0Ｂ\tc');
  });

  it('does not join parts across a blank line', () => {
    expect(countCprNumbers('Ordre 010190\n\n1234 stk.')).toBe(0);
    expect(countCprNumbers('Ordre 010190\r\n\r\n1234 stk.')).toBe(0);
  });

  it('takes a dotted date followed by a time or a number for no CPR number', () => {
    expect(countCprNumbers('Mødet 12.03.26 1030 i lokale 2')).toBe(0);
    expect(countCprNumbers('Brev af 01.02.24 - 1234 sider')).toBe(0);
    expect(countCprNumbers('CPR: 01.01.90 1234')).toBe(1);
  });

  it('does not take numbers joined by invisible characters for CPR numbers without a keyword', () => {
    // With the zero-width space gone the digits are a bare run, which needs a keyword.
    expect(countCprNumbers('Ordre 010190\u200b1234')).toBe(0);
    expect(countCprNumbers('cpr 010190\u200b1234')).toBe(1);
  });

  it('still takes no phone number, date or slice of a longer number for a CPR number when typed in full width', () => {
    expect(countCprNumbers('Ring ＋４５ １２ ３４ ５６ ７８ den １２－０３－２０２６')).toBe(0);
    expect(countCprNumbers('１２０１０１９０－１２３４ og ０１０１９０－１２３４５')).toBe(0);
    expect(countCprNumbers('+\u200b4501019012')).toBe(0);
  });
});

/** A digit as a citizen may have typed it: ASCII or full-width (U+FF10–U+FF19). */
const typedDigit = (digit: string, fullWidth: boolean) =>
  fullWidth ? String.fromCharCode(0xff10 + Number(digit)) : digit;

const GAPS = [' ', '\t', '  ', '\n', '\r\n', '\u00a0', '\u202f', ' \t ', '\u3000'];
const DASH_FORMS = ['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2212', '\ufe63', '\uff0d'];
const DOTS = ['.', '\uff0e'];
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];

type Written = (d: string, gap: string, dash: string, dot: string) => string;
/** Every way of writing a number the detector must catch; `d` is its ten digits as typed. */
const WRITTEN_FORMS: Written[] = [
  (d, _gap, dash) => `${d.slice(0, 6)}${dash}${d.slice(6)}`,
  (d, gap, dash) => `${d.slice(0, 6)}${gap}${dash}${gap}${d.slice(6)}`,
  (d, gap) => `${d.slice(0, 6)}${gap}${d.slice(6)}`,
  (d, _gap, dash, dot) => `${d.slice(0, 2)}${dot}${d.slice(2, 4)}${dot}${d.slice(4, 6)}${dash}${d.slice(6)}`,
  (d) => `CPR: ${d}`,
  (d, gap) => `cpr-nr.${gap}${d}`,
  (d) => `personnummer\n${d}`,
  (d) => `https://borger.example/sag?cpr=${d}&side=to`,
  (d, _gap, dash) => `https://borger.example/sag/${d.slice(0, 6)}${dash}${d.slice(6)}`,
  (d, _gap, dash) => `${d.slice(0, 6)}${dash}${d.slice(6)}.pdf`,
  (d) => `cpr_${d}_scan.jpg`,
];

/** A valid CPR number in one written form, with invisible characters inserted anywhere in it. */
const writtenCpr = fc
  .record({
    cpr: validCpr,
    form: fc.integer({ min: 0, max: WRITTEN_FORMS.length - 1 }),
    fullWidth: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    gap: fc.constantFrom(...GAPS),
    dash: fc.constantFrom(...DASH_FORMS),
    dot: fc.constantFrom(...DOTS),
    invisibles: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLES)), { maxLength: 4 }),
  })
  .map(({ cpr, form, fullWidth, gap, dash, dot, invisibles }) => {
    const digits = [...cpr].map((digit, i) => typedDigit(digit, fullWidth[i] ?? false)).join('');
    let written = (WRITTEN_FORMS[form] as Written)(digits, gap, dash, dot);
    for (const [at, invisible] of invisibles) {
      const position = at % (written.length + 1);
      written = written.slice(0, position) + invisible + written.slice(position);
    }
    return written;
  });

/** Running text without digits, in the whitespace and invisible characters mail really has. */
const prose = fc.string({
  unit: fc.constantFrom(...'abcæøå ABCÆØÅ,;:!?()"-\n\t\u00a0\u202f\u200b'.split('')),
  maxLength: 30,
});
const before = fc.constantFrom(' ', '\t', '\n', '\u00a0', ' (', ', ', '\u200b ');
const after = fc.constantFrom(' ', ') ', '. ', ',\n', '\t', '\u00a0');

describe('CPR numbers written in any form, in random text (property)', () => {
  const RUNS = 3_000;
  const embedded = fc
    .tuple(fc.array(fc.tuple(prose, before, writtenCpr, after), { minLength: 1, maxLength: 8 }), prose)
    .map(([parts, tail]) => ({
      text: parts.map(([words, open, cpr, close]) => `${words}${open}${cpr}${close}`).join('') + tail,
      count: parts.length,
    }));

  it(`counts each one and redactCpr leaves no digit of any of them (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(embedded, ({ text, count }) => {
        expect(countCprNumbers(text)).toBe(count);
        const redacted = redactCpr(text);
        // The prose has no digits: every digit left would be part of a CPR number.
        expect(redacted.normalize('NFKC')).not.toMatch(/\p{Nd}/u);
        expect(redacted.split('[CPR]').length - 1).toBe(count);
        expect(findCprNumbers(redacted)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
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
        '\t',
        '\r\n',
        '\n\n',
        ' - ',
        '\u200b',
        '\u00a0',
        '０',
        '－',
        '..',
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
