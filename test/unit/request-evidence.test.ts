import { describe, expect, it } from 'vitest';
import { assessRequest } from '../../functions/core/request-evidence.js';

const assess = (subject: string, text: string, notADataSubject = false) =>
  assessRequest(subject, text, notADataSubject);

describe('assessRequest: requests in everyday words', () => {
  it.each([
    ['Hej', 'Kan I sende mig alt hvad I har registreret om mig?', 'access'],
    ['', 'jeg vil gerne se hvad i har gemt af oplysninger om mig mvh lone', 'access'],
    ['Request', 'Please send me a copy of everything you hold about me.', 'access'],
    ['Mit navn', 'Mit efternavn er stavet forkert hos jer. Vil I rette det?', 'rectification'],
    ['Address', 'You have my old address on file. Could you update my details?', 'rectification'],
    ['Blodprøve', 'Jeg ønsker at min blodprøve i biobanken bliver destrueret.', 'erasure'],
    ['', 'i want you to get rid of all my data please', 'erasure'],
    ['PKU', 'Vi vil gerne have vores datters PKU-prøve kasseret.', 'erasure'],
    ['Forskning', 'Jeg vil ikke have, at mine prøver bliver brugt til forskning.', 'objection'],
    ['Research', "I don't want my samples or my records used for research any more.", 'objection'],
    ['Export', 'Please export my data as a CSV file so I can take it to my GP.', 'portability'],
    [
      'Sag',
      'Stop med at bruge mine oplysninger indtil klagesagen er afgjort, men slet dem ikke.',
      'restriction',
    ],
  ])('finds a request in %j / %j', (subject, text, right) => {
    const evidence = assess(subject, text);
    expect(evidence.right).toBe(right);
    expect(evidence.confidence).toBe('high');
  });

  it('reads an article number next to the regulation as the right it grants', () => {
    const evidence = assess('Henvendelse', 'Jeg henviser til artikel 17 i databeskyttelsesforordningen.');
    expect(evidence).toMatchObject({ right: 'erasure', confidence: 'high' });
    expect(evidence.signals).toContain('gdpr-article-number');
  });

  it('lets the right named in the subject win', () => {
    expect(assess('Anmodning om sletning', 'Send mig først en kopi af mine oplysninger.').right).toBe(
      'erasure',
    );
  });
});

describe('assessRequest: naming a right without asking for it', () => {
  it.each([
    ['Spørgsmål', 'Hvor lang tid tager det at få svar på en indsigtsanmodning?'],
    ['Question', 'How long does a subject access request usually take?'],
    ['Tak for svar på min indsigtsanmodning', 'Jeg har modtaget papirerne.'],
    ['Re: your access request', 'Thanks, I got the files. Nothing more needed.'],
    ['Prøver', 'Jeg ønsker IKKE mine prøver destrueret, jeg vil gerne bidrage til forskning.'],
    ['Sletning – nej tak', 'Bare så I ved det.'],
    ['', 'Jeg har slettet jeres SMS igen, men ville bare sige tak.'],
  ])('is no request: %j / %j', (subject, text) => {
    expect(assess(subject, text).confidence).toBeNull();
  });

  it('records a negated right as a signal', () => {
    expect(assess('', 'I do not want my data deleted.').signals).toContain('negated-right');
  });

  it('is no request when the writer is not a data subject', () => {
    expect(assess('Indsigt', 'Jeg vil gerne have indsigt i mine oplysninger', true).confidence).toBeNull();
  });

  it('skips a quoted list of rights that only informs', () => {
    const letter = 'Du har ret til indsigt, berigtigelse og sletning af dine oplysninger.';
    const evidence = assess('Brevet', `Hvad betyder det her? ${letter}`);
    expect(evidence.confidence).toBeNull();
    expect(evidence.signals).toContain('rights-listed-as-information');
  });
});

describe('assessRequest: weak evidence goes to review', () => {
  it('sends a right named only in the subject, with a bare body, to review', () => {
    expect(assess('Indsigt', 'Hej. Mvh Bo')).toMatchObject({ right: 'access', confidence: 'low' });
  });

  it('sends a question about the writer’s own data to review', () => {
    expect(assess('mine data', 'Hej. Har I noget liggende om mig?')).toMatchObject({ confidence: 'low' });
  });
});
