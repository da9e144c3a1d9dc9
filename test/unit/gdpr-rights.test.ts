import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectGdprRight, detectLanguage } from '../../functions/core/gdpr-rights.js';

const inBody = (text: string) => detectGdprRight('', text);

describe('detectGdprRight', () => {
  describe('access (art. 15)', () => {
    it.each([
      'Anmodning om indsigt',
      'Indsigtsanmodning',
      'Jeg vil gerne have indsigt i mine oplysninger',
      'Jeg beder om indsigten i de data, I har',
      'Hvilke oplysninger har I om mig?',
      'Jeg vil gerne vide, hvilke personoplysninger I har registreret om mig',
    ])('recognises the Danish request %j', (text) => {
      expect(inBody(text)).toBe('access');
    });

    it.each([
      'This is a subject access request',
      'Access request under GDPR',
      'Please send me a copy of my personal data',
      'I would like to know what data you hold about me',
    ])('recognises the English request %j', (text) => {
      expect(inBody(text)).toBe('access');
    });

    it('recognises SAR only as a whole upper-case word', () => {
      expect(detectGdprRight('SAR', '')).toBe('access');
      expect(detectGdprRight('Re: SAR - John Smith', '')).toBe('access');
      expect(inBody('Hi, this is Sarah')).toBeNull();
      expect(inBody('sar')).toBeNull();
    });

    it('does not take aktindsigt (freedom of information) for a GDPR access request', () => {
      expect(
        detectGdprRight('Anmodning om aktindsigt', 'Jeg beder om aktindsigt i sag 2026-123.'),
      ).toBeNull();
      expect(inBody('Anmodning om akt-indsigt efter offentlighedsloven')).toBeNull();
    });
  });

  describe('rectification (art. 16)', () => {
    it.each([
      'Anmodning om berigtigelse',
      'Jeg ønsker rettelse af mine oplysninger',
      'Vil I ret mine oplysninger?',
      'I har forkerte oplysninger om min adresse',
    ])('recognises the Danish request %j', (text) => {
      expect(inBody(text)).toBe('rectification');
    });

    it.each([
      'Please rectify my address',
      'Request for rectification',
      'Could you correct my data?',
      'The address you hold is inaccurate',
    ])('recognises the English request %j', (text) => {
      expect(inBody(text)).toBe('rectification');
    });
  });

  describe('erasure (art. 17)', () => {
    it.each([
      'Anmodning om sletning',
      'Jeg ønsker sletningen af alt om mig',
      'Slet mine oplysninger',
      'I bedes slette mine personoplysninger',
      'Jeg gør brug af retten til at blive glemt',
    ])('recognises the Danish request %j', (text) => {
      expect(inBody(text)).toBe('erasure');
    });

    it.each([
      'Please erase everything',
      'Request for erasure',
      'Please delete my data',
      'I invoke my right to be forgotten',
    ])('recognises the English request %j', (text) => {
      expect(inBody(text)).toBe('erasure');
    });

    it('does not take "slet ikke" (not at all) for erasure', () => {
      expect(inBody('Det er slet ikke i orden')).toBeNull();
    });
  });

  describe('restriction (art. 18)', () => {
    it.each([
      'Jeg ønsker begrænsning af behandling',
      'Krav om begrænsning af behandlingen',
      'Please restrict processing of my data',
      'Request for restriction of processing',
    ])('recognises %j', (text) => {
      expect(inBody(text)).toBe('restriction');
    });
  });

  describe('portability (art. 20)', () => {
    it.each(['Anmodning om dataportabilitet', 'Data portability request'])('recognises %j', (text) => {
      expect(inBody(text)).toBe('portability');
    });
  });

  describe('objection (art. 21)', () => {
    it.each([
      'Indsigelse mod behandling',
      'Jeg vil gøre indsigelse',
      'Jeg ønsker at modsætte mig behandling af mine oplysninger',
      'I object to processing of my data',
      'Formal objection',
    ])('recognises %j', (text) => {
      expect(inBody(text)).toBe('objection');
    });
  });

  it('matches regardless of case, and tolerates ae/oe/aa for æ/ø/å', () => {
    expect(inBody('ANMODNING OM SLETNING')).toBe('erasure');
    expect(inBody('begraensning af behandlingen')).toBe('restriction');
    expect(inBody('jeg vil goere indsigelse')).toBe('objection');
  });

  it('matches decomposed æøå (NFD) as well as composed', () => {
    expect(inBody('Begrænsning af behandling'.normalize('NFD'))).toBe('restriction');
  });

  it('lets a right named in the subject win over the body', () => {
    expect(detectGdprRight('Sletning', 'Jeg vil gerne have indsigt først')).toBe('erasure');
  });

  it('takes the right named first in the subject when it names several', () => {
    expect(detectGdprRight('Indsigt og sletning', '')).toBe('access');
    expect(detectGdprRight('Sletning og indsigt', '')).toBe('erasure');
  });

  it('takes the right named first in the body when the subject names none', () => {
    expect(detectGdprRight('Henvendelse', 'Jeg ønsker sletning. Før det vil jeg have indsigt.')).toBe(
      'erasure',
    );
    expect(detectGdprRight('Question', 'Please send a copy of my personal data, then erase it.')).toBe(
      'access',
    );
  });

  it('reads only the first 5,000 characters of the body', () => {
    expect(inBody(`${'x '.repeat(2_600)}Slet mine oplysninger`)).toBeNull();
    expect(inBody(`${'x '.repeat(2_400)}Slet mine oplysninger`)).toBe('erasure');
  });

  describe('negatives', () => {
    it('finds no right in an order confirmation', () => {
      expect(
        detectGdprRight(
          'Order confirmation #48213',
          'Thank you for your order. Your items will ship within 3 days. Order total: 499 DKK.',
        ),
      ).toBeNull();
    });

    it('finds no right in a newsletter whose privacy note lists the rights', () => {
      const newsletter = [
        'Nyhedsbrev marts 2026',
        'Læs om årets vaccinationssæson og vores nye laboratorier.',
        'Du har bl.a. ret til indsigt, berigtigelse, sletning og begrænsning af behandlingen.',
        'You have the right to request access to and rectification or erasure of personal data.',
        'Afmeld nyhedsbrevet her.',
      ].join('\n');
      expect(detectGdprRight('Nyhedsbrev fra SSI', newsletter)).toBeNull();
    });

    it('finds no right in a quoted SSI letter, but does in the citizen’s own words above it', () => {
      const quote = '> Du har ret til indsigt i de oplysninger, vi behandler om dig.';
      expect(inBody(`Tak for brevet.\n\n${quote}`)).toBeNull();
      expect(inBody(`Jeg ønsker sletning.\n\n${quote}`)).toBe('erasure');
    });

    it('still finds a request the writer makes after mentioning the controller’s rights', () => {
      expect(inBody('As you have the right to process my data, I request erasure instead.')).toBe('erasure');
      expect(inBody('Du har ret til at behandle data. Jeg ønsker dog sletning.')).toBe('erasure');
    });

    it('finds no right in ordinary questions', () => {
      expect(detectGdprRight('Spørgsmål om vaccination', 'Hvornår kan jeg blive vaccineret?')).toBeNull();
      expect(detectGdprRight('Fraud SMS', 'Jeg har fået en mistænkelig SMS med et link.')).toBeNull();
    });
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ maxLength: 2_000 }),
        (subject, text) => {
          expect(() => detectGdprRight(subject, text)).not.toThrow();
        },
      ),
    );
  });
});

describe('detectLanguage', () => {
  it.each([
    'Hej. Jeg vil gerne have indsigt i mine oplysninger. Venlig hilsen Jens',
    'Slet mine oplysninger, tak',
    'Hvad har I registreret om mig?',
    'Jeg har fået en mærkelig SMS',
  ])('recognises Danish in %j', (text) => {
    expect(detectLanguage(text)).toBe('da');
  });

  it.each([
    'Hello, I would like a copy of my personal data. Kind regards, John',
    'Please delete my data',
    'What is the status of the request?',
  ])('recognises English in %j', (text) => {
    expect(detectLanguage(text)).toBe('en');
  });

  it.each(['', '12345678', 'OK', 'https://evil.example/x', 'Hej og tak. Hello and the end.'])(
    'answers unknown on too little or mixed evidence: %j',
    (text) => {
      expect(detectLanguage(text)).toBe('unknown');
    },
  );

  it('reads only the first 5,000 characters', () => {
    expect(detectLanguage(`${'x '.repeat(2_500)}Jeg har ikke fået svar på min mail`)).toBe('unknown');
  });
});
