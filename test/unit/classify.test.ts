import { describe, expect, it } from 'vitest';
import {
  type ClassificationFacts,
  classifyTopic,
  stripSubjectPrefixes,
} from '../../functions/core/classify.js';
import { DEFAULT_RULES } from '../../functions/core/default-config.js';
import { gatherEvidence } from '../../functions/core/evidence.js';

/** The facts triage gathers for a mail with this subject and text, evidence included. */
const facts = (overrides: Partial<Omit<ClassificationFacts, 'evidence'>>): ClassificationFacts => {
  const base = {
    subject: '',
    text: '',
    authentication: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' } as const,
    encryption: 'none' as const,
    senderKind: 'citizen' as const,
    automated: false,
    ...overrides,
  };
  const evidence = gatherEvidence({
    ...base,
    text: base.encryption === 'none' ? base.text : '',
    attachments: [],
    inReplyTo: null,
    references: [],
    trustedDomains: ['ssi.dk'],
  });
  return { ...base, evidence };
};

describe('stripSubjectPrefixes', () => {
  it.each([
    ['SV: VS: Fraud SMS', 'Fraud SMS'],
    ['Re: RE: Fwd: fraud-sms', 'fraud-sms'],
    ['Videresendt: Svindel SMS', 'Svindel SMS'],
    ['[EXTERN] SV: Anmodning om indsigt', 'Anmodning om indsigt'],
    ['AW: [EXTERNAL] Fw: Forward: Hello', 'Hello'],
    ['Re[2]: Spørgsmål', 'Spørgsmål'],
    ['Retningslinjer', 'Retningslinjer'],
    ['Svar fra kommunen', 'Svar fra kommunen'],
  ])('turns %j into %j', (subject, expected) => {
    expect(stripSubjectPrefixes(subject)).toBe(expected);
  });
});

describe('fraud SMS subjects', () => {
  it.each([
    'Fraud SMS',
    'fraud sms',
    'FRAUD-SMS',
    'Fraud-sms',
    'SV: VS: Fraud SMS',
    'svindel-SMS',
    'Svindel sms',
    'Fwd: SMS-svindel',
    'falsk SMS fra SSI?',
    'Phishing-SMS',
    'Mistænkelig SMS',
    'smishing',
    '[EXTERN] Re: fraud sms',
    'Fraud SMS received today',
  ])('routes %j to fraud-sms', (subject) => {
    expect(classifyTopic(facts({ subject }), DEFAULT_RULES).topic).toBe('fraud-sms');
  });

  it.each(['SMS-påmindelse om vaccination', 'Fraudulent invoice', 'Smsservice', 'Ingen svindel her'])(
    'does not route %j to fraud-sms',
    (subject) => {
      expect(classifyTopic(facts({ subject }), DEFAULT_RULES).topic).not.toBe('fraud-sms');
    },
  );
});

describe('rule order', () => {
  it('quarantines a virus before anything else, even a fraud SMS report', () => {
    const result = classifyTopic(
      facts({
        subject: 'Fraud SMS',
        authentication: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'FAIL' },
      }),
      DEFAULT_RULES,
    );
    expect(result).toEqual({ topic: 'quarantine', matchedRule: 'quarantine-verdict', confidence: 'high' });
  });

  it('sends encrypted mail to partner before looking for a GDPR request', () => {
    const encrypted = facts({ encryption: 'smime', subject: 'Anmodning om indsigt' });
    expect(classifyTopic(encrypted, DEFAULT_RULES).topic).toBe('partner');
  });

  it('does not take a mailing or an auto-reply that mentions a right for a request', () => {
    const mailing = facts({ subject: 'Slet mine oplysninger', automated: true });
    expect(classifyTopic(mailing, DEFAULT_RULES).topic).toBe('general');
  });

  it('lets a citizen request beat the processing-notice wording', () => {
    const result = classifyTopic(
      facts({
        subject: 'Information om behandling af personoplysninger',
        text: 'Jeg har fået jeres brev. Jeg vil gerne have indsigt i mine oplysninger.',
      }),
      DEFAULT_RULES,
    );
    expect(result.topic).toBe('data-subject-request');
  });

  it('finds the processing-notice letter title in the body, in either language', () => {
    expect(
      classifyTopic(
        facts({ text: 'Jeg fik brevet "Information om behandling af personoplysninger".' }),
        DEFAULT_RULES,
      ).topic,
    ).toBe('processing-notice');
    expect(
      classifyTopic(
        facts({ text: 'I received a letter about the processing of my personal data.' }),
        DEFAULT_RULES,
      ).topic,
    ).toBe('processing-notice');
  });

  it('routes authorities and companies to partner and everyone else to general', () => {
    expect(classifyTopic(facts({ senderKind: 'authority' }), DEFAULT_RULES).matchedRule).toBe(
      'partner-sender',
    );
    expect(classifyTopic(facts({ senderKind: 'company' }), DEFAULT_RULES).topic).toBe('partner');
    expect(classifyTopic(facts({ senderKind: 'unknown' }), DEFAULT_RULES)).toEqual({
      topic: 'general',
      matchedRule: 'general',
      confidence: 'high',
    });
  });

  it('follows a configured rule list, first match wins', () => {
    const rules = [
      { id: 'complaints', topic: 'general' as const, when: { subjectOrText: ['\\bklage\\b'] } },
      ...DEFAULT_RULES,
    ];
    expect(classifyTopic(facts({ subject: 'Klage over svindel-SMS' }), rules).matchedRule).toBe('complaints');
  });
});
