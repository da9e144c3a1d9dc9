import { describe, expect, it } from 'vitest';
import { assessFraudReport, type FraudInput } from '../../functions/core/fraud-evidence.js';
import type { AttachmentFact } from '../../functions/core/types.js';

const screenshot: AttachmentFact = {
  filename: 'IMG_4412.PNG',
  contentType: 'image/png',
  size: 48_000,
  sha256: 'x',
};

const assess = (subject: string, text: string, overrides: Partial<FraudInput> = {}) =>
  assessFraudReport({
    subject,
    text,
    attachments: [],
    trustedDomains: ['ssi.dk', 'sundhed.dk', 'borger.dk'],
    roleSignals: [],
    followsFraudReport: false,
    ...overrides,
  });

describe('assessFraudReport: reports without the subject phrase', () => {
  it.each([
    [
      'Er det jer?',
      'Jeg fik en sms om at min vaccinetid er aflyst og at jeg skal booke igen på vaccine-tid-dk.com. Er det jer?',
    ],
    [
      '',
      'fik den her i nat: "Sundhedsstyrelsen: Du mangler at betale 29 kr for din test. Betal her: sst-betaling.net/p"',
    ],
    [
      'Text',
      'Hi, got this text from +45 91 23 45 67 saying my parcel is held and I must pay a fee at postnord-dk.help/fee',
    ],
    ['HJÆLP', 'JEG HAR FÅET EN SMS OM AT MIT MITID UDLØBER. JEG TRYKKEDE PÅ LINKET OG SKREV MIT KORTNUMMER'],
    [
      'Mærkelig besked',
      'Der står: "SSI: Dit prøvesvar er klar. Svar JA for at få det tilsendt." Hvad skal jeg gøre?',
    ],
  ])('reports %j / %j', (subject, text) => {
    expect(assess(subject, text).report).toBe('high');
  });

  it('takes a forwarded phone message with a sender line and a link for a report', () => {
    const text = [
      'Sendt fra min Samsung',
      '',
      '-------- Original message --------',
      'Fra: SSI-Info',
      'Besked: Din test er positiv. Se svar: https://ssi-svar.example/r',
    ].join('\n');
    const evidence = assess('Fwd:', text);
    expect(evidence.report).toBe('high');
    expect(evidence.signals).toEqual(expect.arrayContaining(['body-pasted-sms', 'body-link']));
  });

  it('takes a screenshot with a line about an SMS for a report', () => {
    const evidence = assess('Er den falsk?', 'se billedet', { attachments: [screenshot] });
    expect(evidence.report).toBe('high');
    expect(evidence.signals).toContain('image-only-report');
  });

  it('routes a screenshot with no words at all for review', () => {
    expect(assess('', '', { attachments: [screenshot] }).report).toBe('low');
  });

  it('treats whatever an answer to our fraud reply adds as part of the report', () => {
    expect(assess('', 'Nummeret var 22 33 44 55', { followsFraudReport: true }).report).toBe('high');
  });
});

describe('assessFraudReport: mail about SMS that reports none', () => {
  it.each([
    ['SMS-påmindelser', 'Hvordan framelder jeg jeres SMS-påmindelser om vaccination? Jeg får dem to gange.'],
    ['Test result', 'I never received the SMS with my test result. Can you send it again?'],
    [
      'Falsk mail',
      'Jeg har fået en e-mail (ikke en sms) fra "SSI" om at opdatere mine oplysninger på ssi-login.com.',
    ],
    ['Links', 'Hvor på sundhed.dk kan jeg se mit prøvesvar?'],
  ])('does not report %j / %j', (subject, text) => {
    expect(assess(subject, text).report).toBeNull();
  });

  it('does not take a researcher’s question about smishing for a report', () => {
    const text = 'Jeg skriver speciale om falske SMS i SSI navn. Hvor mange har I fået anmeldt?';
    expect(assess('Smishing', text, { roleSignals: ['researcher-data-request'] }).report).toBeNull();
  });

  it('does not take an authority’s campaign warning for a report', () => {
    const text = 'Vi har observeret en smishing-kampagne, hvor afsenderen udgiver sig for at være SSI.';
    const evidence = assess('Varsel', text);
    expect(evidence.report).toBeNull();
    expect(evidence.signals).toContain('fraud-campaign-warning');
  });

  it('does not count a trusted domain as a lure link', () => {
    expect(assess('', 'Jeg fik en sms fra jer om at tjekke borger.dk').signals).not.toContain('body-link');
  });
});
