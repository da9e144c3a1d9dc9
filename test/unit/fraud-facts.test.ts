import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFraudFacts } from '../../functions/core/fraud-facts.js';

const urls = (text: string) => extractFraudFacts(text).urls;
const phones = (text: string) => extractFraudFacts(text).phoneNumbers;

describe('extractFraudFacts: links', () => {
  it('defangs an https link: hxxps and [.] in the host', () => {
    expect(urls('Klik her: https://evil.example/x')).toEqual(['hxxps://evil[.]example/x']);
  });

  it('defangs an http link and keeps the dots of its path', () => {
    expect(urls('http://login.evil.example/a.php?x=1.2')).toEqual([
      'hxxp://login[.]evil[.]example/a.php?x=1.2',
    ]);
  });

  it('lower-cases scheme and host but keeps the path as written', () => {
    expect(urls('HTTPS://Evil.Example:8443/Pakke/ABC')).toEqual(['hxxps://evil[.]example:8443/Pakke/ABC']);
  });

  it('finds www. links without a scheme', () => {
    expect(urls('Besøg www.postnord-levering.info/track?id=7 i dag')).toEqual([
      'www[.]postnord-levering[.]info/track?id=7',
    ]);
  });

  it('finds bare domains followed by a path, as fraud SMS write them', () => {
    expect(urls('Din pakke: evil.example/x eller post-dk.info/pakke')).toEqual([
      'evil[.]example/x',
      'post-dk[.]info/pakke',
    ]);
  });

  it('does not take abbreviations, file names or e-mail addresses for bare domains', () => {
    expect(urls('Se f.eks/bilag, rapport.docx/side 2, ssi@ssi.dk/x og 1.5/2')).toEqual([]);
  });

  it('drops sentence punctuation after a link but keeps balanced parentheses', () => {
    expect(
      urls('Se https://evil.example/x. Og (https://evil.example/y), eller https://a.example/w_(b)!'),
    ).toEqual(['hxxps://evil[.]example/x', 'hxxps://evil[.]example/y', 'hxxps://a[.]example/w_(b)']);
  });

  it('stops a link at angle brackets and quotes', () => {
    expect(urls('<https://evil.example/x> "https://evil.example/y"')).toEqual([
      'hxxps://evil[.]example/x',
      'hxxps://evil[.]example/y',
    ]);
  });

  it('reports each link once, in order of appearance', () => {
    expect(urls('https://b.example/1 https://a.example/2 https://b.example/1 HTTPS://B.EXAMPLE/1')).toEqual([
      'hxxps://b[.]example/1',
      'hxxps://a[.]example/2',
    ]);
  });

  it('reports at most 20 links of at most 200 characters', () => {
    const many = Array.from({ length: 30 }, (_, i) => `https://evil${i}.example/${'x'.repeat(300)}`).join(
      ' ',
    );
    const found = urls(many);
    expect(found).toHaveLength(20);
    for (const url of found) expect(url.length).toBeLessThanOrEqual(200);
  });

  it('never returns a link with a clickable scheme or a plain dot in its host', () => {
    const host = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        host,
        fc.constantFrom('com', 'dk', 'example'),
        fc.constantFrom('http', 'https', ''),
        (labels, tld, scheme) => {
          const domain = [...labels, tld].join('.');
          const text = `Klik ${scheme ? `${scheme}://` : ''}${domain}/pakke nu`;
          for (const url of urls(text)) {
            expect(url).not.toMatch(/^https?:/);
            expect(url.split('/')[scheme ? 2 : 0]).not.toMatch(/[^[]\.|^\./);
          }
        },
      ),
    );
  });
});

describe('extractFraudFacts: phone numbers', () => {
  it('finds Danish numbers in the usual groupings', () => {
    expect(phones('Fra 12345678, 23 45 67 89, 3456 7890 og 45-67-89-01')).toEqual([
      '12345678',
      '23456789',
      '34567890',
      '45678901',
    ]);
  });

  it('keeps the +45 prefix and writes 0045 as +45', () => {
    expect(phones('SMS fra +45 12 34 56 78 og 0045 87654321, +4523456789')).toEqual([
      '+4512345678',
      '+4587654321',
      '+4523456789',
    ]);
  });

  it('finds international numbers with a + and a country code', () => {
    expect(phones('Afsender: +46 70 123 45 67 og +1-202-555-0143')).toEqual(['+46701234567', '+12025550143']);
  });

  it('reports each number once and at most 20', () => {
    expect(phones('12345678 og 12 34 56 78 og 1234 5678')).toEqual(['12345678']);
    const many = Array.from({ length: 30 }, (_, i) => `${20_000_000 + i}`).join(', ');
    expect(phones(many)).toHaveLength(20);
  });

  it('does not report CPR numbers as phone numbers', () => {
    expect(phones('CPR 010190-1234, 010190 1234 og cpr-nr. 0101901234')).toEqual([]);
  });

  it('does not report dates as phone numbers', () => {
    expect(phones('Den 12-03-2026, 2026-03-12, 12.03.2026 og 12/03/2026')).toEqual([]);
  });

  it('does not report slices of longer numbers', () => {
    expect(phones('Kontonummer 123456789012 og ordre SSI12345678 og 1234-5678-9012')).toEqual([]);
  });

  it('reports no phone number for short codes or amounts', () => {
    expect(phones('Svar STOP til 1272. Beløb: 1.234,50 kr.')).toEqual([]);
  });
});

describe('extractFraudFacts on a forwarded fraud SMS', () => {
  it('extracts the link and the sender number together', () => {
    const text = [
      'Hej, jeg har fået denne SMS. Er det jer?',
      '',
      '---------- Videresendt besked ----------',
      'Fra: +45 22 33 44 55',
      'SSI: Du mangler at booke din vaccination. Book her: https://ssi-booking.example/v?id=8812',
      '',
      'Venlig hilsen',
      'Jens, tlf. 40506070',
    ].join('\n');
    expect(extractFraudFacts(text)).toEqual({
      urls: ['hxxps://ssi-booking[.]example/v?id=8812'],
      phoneNumbers: ['+4522334455', '40506070'],
    });
  });

  it('returns empty lists for text without links or numbers', () => {
    expect(extractFraudFacts('Hej, hvad gør I med mine oplysninger?')).toEqual({
      urls: [],
      phoneNumbers: [],
    });
  });
});

describe('extractFraudFacts on hostile input', () => {
  it.each([
    ['dotted labels', 'a.'.repeat(100_000)],
    ['schemes', 'https://'.repeat(25_000)],
    ['www prefixes', 'www.'.repeat(50_000)],
    ['hyphenated labels', `${'a-'.repeat(99_999)}.`],
    ['digits', '1'.repeat(200_000)],
    ['spaced digits', '1 '.repeat(100_000)],
    ['plus signs and digits', '+1 2'.repeat(50_000)],
    ['one long link', `https://evil.example/${'x'.repeat(200_000)}`],
  ])('handles 200,000 characters of %s in well under a second', (_name, text) => {
    const started = performance.now();
    extractFraudFacts(text);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const facts = extractFraudFacts(text);
        expect(facts.urls.length).toBeLessThanOrEqual(20);
        expect(facts.phoneNumbers.length).toBeLessThanOrEqual(20);
      }),
    );
  });
});
