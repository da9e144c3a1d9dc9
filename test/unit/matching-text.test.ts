import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMatchingText } from '../../functions/core/matching-text.js';

const normalised = (text: string) => toMatchingText(text).text;

describe('toMatchingText', () => {
  it('folds every kind of blank run into one space', () => {
    for (const blank of ['\t', '  ', '\u00a0', '\u202f', '\u3000', ' \t\u00a0 ', '\u0000\u0007']) {
      expect(normalised(`a${blank}b`), JSON.stringify(blank)).toBe('a b');
    }
  });

  it('keeps one line break, CR LF included, and makes more than one a blank line', () => {
    expect(normalised('a \r\n\tb')).toBe('a\nb');
    expect(normalised('a\u2028b')).toBe('a\nb');
    expect(normalised('a\n \nb')).toBe('a\n\nb');
    expect(normalised('a\r\n\r\n\r\nb')).toBe('a\n\nb');
  });

  it('drops zero-width characters, the soft hyphen, the byte-order mark and combining marks', () => {
    expect(normalised('0\u200b1\u200c2\u200d3\u20604\ufeff5\u00ad6\ufe0f7\u20e3')).toBe('01234567');
    expect(normalised('a \u200b b')).toBe('a b');
  });

  it('turns full-width and other compatibility forms into plain ones (NFKC)', () => {
    expect(normalised('ＣＰＲ：０１０１９０－１２３４')).toBe('CPR:010190-1234');
    expect(normalised('010190\u20111234')).toBe('010190\u20101234');
  });

  it('leaves printable ASCII with single spaces, and Danish letters, as they are, one to one', () => {
    const text = 'Kære SSI, mit CPR-nummer er 010190-1234 (tak)!';
    const view = toMatchingText(text);
    expect(view.text).toBe(text);
    for (let i = 0; i < text.length; i++) expect(view.sourceOf(i)).toEqual({ start: i, end: i + 1 });
  });

  it('maps a folded run or a normalised character back to all of its source', () => {
    const text = 'a \t\u200b b０c';
    const view = toMatchingText(text);
    expect(view.text).toBe('a b0c');
    expect(view.sourceOf(1)).toEqual({ start: 1, end: 5 });
    expect(view.sourceOf(3)).toEqual({ start: 6, end: 7 });
  });

  it('maps every unit into the original, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const view = toMatchingText(text);
        let previousStart = 0;
        for (let i = 0; i < view.text.length; i++) {
          const { start, end } = view.sourceOf(i);
          expect(start).toBeGreaterThanOrEqual(previousStart);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(text.length);
          previousStart = start;
        }
      }),
      { numRuns: 500 },
    );
  });
});
