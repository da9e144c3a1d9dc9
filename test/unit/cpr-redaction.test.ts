import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeForward, summarise } from '../../functions/core/compose-forward.js';
import { composeReply } from '../../functions/core/compose-reply.js';
import { findCprNumbers } from '../../functions/core/cpr.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { extractFraudFacts, removeLinks } from '../../functions/core/fraud-facts.js';
import type { TriageRecord } from '../../functions/core/queue-messages.js';
import { redactedPreview, redactRecord } from '../../functions/core/redact-record.js';
import { type TriageResult, triage } from '../../functions/core/triage.js';
import { LINK_HOSTS } from '../../functions/templates/index.js';
import { replyJob } from '../support/reply-job.js';

// A citizen's fraud-SMS report that holds CPR numbers everywhere a mail can: the subject,
// the body (split by a tab, a line break, a no-break space, zero-width characters, typed
// in full width, dotted), a link's query and attachment file names.
const SUBJECT = 'Fraud SMS – mit cpr 010190 - 1234 og ０２０２９０－１２３４';
const BODY = [
  'Hej SSI,',
  '',
  'Jeg fik denne SMS. Mit CPR-nummer er 050590\t1234, min datters er 060610',
  '1234 og min søns 070711\u00a01234.',
  'Min mands: 08\u200b0880-12\u200d34, og min mors ０９０９５０－１２３４.',
  'Linket var https://post-dk.example/pakke?cpr=1010801234&id=to (klik ikke).',
  'Født 11.11.81-1234.',
  '',
  'Mvh Jens, tlf. +45 28 19 37 46',
].join('\n');
const FILENAMES = ['030390-1234.pdf', 'cpr_0404901234_scan.jpg'];
/** The ten digits of every CPR number above, as they must never be seen again. */
const CPR_DIGITS = [
  '0101901234',
  '0202901234',
  '0505901234',
  '0606101234',
  '0707111234',
  '0808801234',
  '0909501234',
  '1010801234',
  '1111811234',
  '0303901234',
  '0404901234',
];

async function hostileMail(): Promise<Buffer> {
  return new MailComposer({
    from: { name: 'Jens Hansen', address: 'jens.hansen@gmail.com' },
    to: 'ssidatabeskyttelse@ssi.dk',
    subject: SUBJECT,
    messageId: '<CAF3x9Qm1@mail.gmail.com>',
    date: new Date('2026-03-05T09:14:58Z'),
    text: BODY,
    attachments: FILENAMES.map((filename) => ({ filename, content: Buffer.from(`scan of ${filename}`) })),
  })
    .compile()
    .build();
}

/** Every string in a JSON value, with where it is. */
function stringsIn(value: unknown, path = '$'): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsIn(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, field]) => stringsIn(field, `${path}.${key}`));
  }
  return [];
}

/** Where a text still holds a CPR number: found by the detector, or its ten digits in order. */
function cprLeaks(strings: [string, string][]): string[] {
  return strings.flatMap(([path, text]) => {
    const digits = text.normalize('NFKC').replace(/\D/g, '');
    const leaked = findCprNumbers(text).length > 0 || CPR_DIGITS.some((cpr) => digits.includes(cpr));
    return leaked ? [path] : [];
  });
}

describe('a mail with CPR numbers in subject, body, link and file names', () => {
  let raw: Buffer;
  let result: TriageResult;
  beforeAll(async () => {
    raw = await hostileMail();
    result = await triage(
      raw,
      { sesMessageId: 'cpr-everywhere', receivedAt: new Date('2026-03-05T09:15:00Z') },
      DEFAULT_CONFIG,
    );
  });

  it('counts every CPR number in the subject, the text and the attachment file names', () => {
    expect(result.record.pii.cprCount).toBe(CPR_DIGITS.length);
  });

  it('leaves no CPR number in any string of the TriageRecord', () => {
    const strings = stringsIn(JSON.parse(JSON.stringify(result.record)));
    expect(strings.length).toBeGreaterThan(20);
    expect(cprLeaks(strings)).toEqual([]);
  });

  it('redacts the subject, the preview, the fraud link and the file names in place', () => {
    const { record } = result;
    expect(record.subject).toBe('Fraud SMS – mit cpr [CPR] og [CPR]');
    expect(record.textPreview.split('[CPR]')).toHaveLength(8);
    expect(record.fraud?.urls).toEqual(['hxxps://post-dk[.]example/pakke?cpr=[CPR]&id=to']);
    expect(record.fraud?.phoneNumbers).toEqual(['+4528193746']);
    expect(record.attachments.map((a) => a.filename)).toEqual(['[CPR].pdf', 'cpr_[CPR]_scan.jpg']);
    // Addresses route and answer the mail; they are kept exactly.
    expect(record.from).toEqual({ address: 'jens.hansen@gmail.com', name: 'Jens Hansen' });
  });

  it('composes a reply whose every header and body part is free of CPR numbers and links', async () => {
    const job = replyJob({
      sesMessageId: 'cpr-everywhere',
      template: 'fraud-sms',
      // The job carries the subject as received; the composer is what keeps it out.
      subject: `${SUBJECT} https://post-dk.example/pakke?cpr=1010801234 post-dk.info/pakke`,
      references: [],
      cprWarning: true,
    });
    const reply = await simpleParser(
      await composeReply(job, DEFAULT_CONFIG, new Date('2026-03-05T09:16:00Z')),
    );
    expect(reply.subject).toBe(
      'Automatisk svar / Automatic reply: Fraud SMS – mit cpr [CPR] og [CPR] [link] [link]',
    );
    const strings: [string, string][] = [
      ['subject', reply.subject ?? ''],
      ['text', reply.text ?? ''],
      ['html', typeof reply.html === 'string' ? reply.html : ''],
      ...reply.headerLines.map(({ key, line }): [string, string] => [key, line]),
    ];
    expect(cprLeaks(strings)).toEqual([]);
    // No link of the sender's goes back; the only links are the HTML's to the public sites it names.
    expect(strings.filter(([, text]) => /post-dk/.test(text))).toEqual([]);
    const hosts = strings.flatMap(([, text]) =>
      [...text.matchAll(/https?:\/\/([^/\s"<>]+)/g)].map((m) => m[1]),
    );
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.filter((host) => !LINK_HOSTS.includes(host ?? ''))).toEqual([]);
  });

  it('forwards with a summary and subject free of CPR numbers, the original attached whole', async () => {
    const input = { record: result.record, raw, owners: ['dpo@ssi.dk'], config: DEFAULT_CONFIG };
    const forward = await simpleParser(await composeForward(input, new Date('2026-03-05T09:16:00Z')));
    expect(cprLeaks([['subject', forward.subject ?? '']])).toEqual([]);
    expect(cprLeaks([['summary', summarise(input)]])).toEqual([]);
    expect(summarise(input)).toContain('cpr_[CPR]_scan.jpg');
    const original = forward.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(original?.content.equals(raw)).toBe(true);
  });

  it('keeps CPR numbers out of a forward summary even for a record that was never redacted', () => {
    const unredacted: TriageRecord = {
      ...result.record,
      from: { address: 'jens.hansen@gmail.com', name: 'Jens 010190-1234' },
      fraud: { urls: ['hxxps://x[.]example/?cpr=0101901234'], phoneNumbers: [] },
      attachments: FILENAMES.map((filename) => ({
        filename,
        contentType: 'application/pdf',
        size: 1,
        sha256: 'ab',
      })),
      parseErrors: ['mime-invalid: bad header "cpr 0202901234"'],
    };
    const summary = summarise({
      record: unredacted,
      raw: null,
      owners: ['dpo@ssi.dk'],
      config: DEFAULT_CONFIG,
    });
    expect(cprLeaks([['summary', summary]])).toEqual([]);
    expect(summary).toContain('[CPR].pdf');
  });
});

describe('the subject a reply echoes', () => {
  async function replySubject(subject: string): Promise<string> {
    const job = replyJob({ sesMessageId: 'subject-check', subject, inReplyTo: null, references: [] });
    const reply = await simpleParser(
      await composeReply(job, DEFAULT_CONFIG, new Date('2026-03-05T09:16:00Z')),
    );
    return reply.subject ?? '';
  }

  it.each([
    ['Klik https://ssi-dk.example/login nu', 'Automatisk svar / Automatic reply: Klik [link] nu'],
    ['Se www.ssi-betaling.dk!', 'Automatisk svar / Automatic reply: Se [link]!'],
    ['Pakke: post-dk.info/pakke?id=7', 'Automatisk svar / Automatic reply: Pakke: [link]'],
    ['https://evil.example/', 'Automatisk svar / Automatic reply: [link]'],
    // Abbreviations and file names are no links; neither is a domain without a path.
    ['Spørgsmål f.eks. om ssi.dk', 'Automatisk svar / Automatic reply: Spørgsmål f.eks. om ssi.dk'],
  ])('carries %j as %j', async (subject, expected) => {
    expect(await replySubject(subject)).toBe(expected);
  });

  it.each([
    ['a tab', 'Indsigt 010190\t1234'],
    ['a line break', 'Indsigt 010190\r\n 1234'],
    ['control characters the sanitiser turns into spaces', 'Indsigt 010190\u0000\u00001234'],
    ['a bidi override the sanitiser turns into a space', 'Indsigt 010190\u202e1234'],
    ['full-width digits', 'Indsigt ０１０１９０－１２３４'],
    ['a number cut by the 150-character limit', `${'x'.repeat(140)} 010190-1234`],
  ])('never sends back a CPR number split by %s', async (_how, subject) => {
    const echoed = await replySubject(subject);
    expect(findCprNumbers(echoed)).toEqual([]);
    expect(echoed.normalize('NFKC')).not.toMatch(/0101/);
  });
});

describe('redactedPreview', () => {
  it('folds whitespace before redacting, so a number or keyword brought together by folding is caught', () => {
    expect(redactedPreview('Mit nummer er 010190\t\t1234', 400)).toBe('Mit nummer er [CPR]');
    // Three line breaks keep a keyword from reaching the number; the folded preview does not.
    expect(redactedPreview('cpr\n\n\nSag 0101901234', 400)).toBe('cpr Sag [CPR]');
  });

  it('drops a number cut at the window edge, in any digits', () => {
    // The window is 2 × 20 + 64 = 104 characters; folding the tabs brings its edge into view.
    const text = `a${'\t'.repeat(96)} ０１０１\u200b９０－１２３４ efter`;
    expect(redactedPreview(text, 20)).toBe('a');
  });

  it('never shows a CPR number, whatever the limit cuts', () => {
    for (let limit = 0; limit <= 60; limit++) {
      const preview = redactedPreview(
        `Kære SSI, cpr:\n\n\n0101901234 og 020290\n1234 tak for hjælpen ${'.'.repeat(40)}`,
        limit,
      );
      expect(findCprNumbers(preview), `limit ${limit}`).toEqual([]);
      expect(preview.length).toBeLessThanOrEqual(Math.max(limit, 0));
    }
  });
});

describe('redactRecord', () => {
  it('keeps addresses and storage ids exactly, even when they look like CPR numbers', () => {
    const looksLikeCpr = '010190-1234@example.dk';
    const record = redactRecord({
      ...({} as TriageRecord),
      sesMessageId: '010190-1234',
      s3: { bucket: 'b', key: 'raw/010190-1234' },
      from: { address: looksLikeCpr, name: 'Jens 010190-1234' },
      replyTo: looksLikeCpr,
      to: [looksLikeCpr],
      cc: [looksLikeCpr],
      headerMessageId: '<010190-1234@example.dk>',
    });
    expect(record).toEqual({
      sesMessageId: '010190-1234',
      s3: { bucket: 'b', key: 'raw/010190-1234' },
      from: { address: looksLikeCpr, name: 'Jens [CPR]' },
      replyTo: looksLikeCpr,
      to: [looksLikeCpr],
      cc: [looksLikeCpr],
      headerMessageId: '<[CPR]@example.dk>',
    });
  });
});

describe('fraud facts and links', () => {
  it('redacts a CPR number in a reported link, also when its keyword stands before the link', () => {
    expect(
      extractFraudFacts('Se https://x.example/a?cpr=0101901234 og CPR-nr: https://x.example/0202901234').urls,
    ).toEqual(['hxxps://x[.]example/a?cpr=[CPR]', 'hxxps://x[.]example/[CPR]']);
  });

  it('removes links of every form the fraud facts know, and keeps the punctuation after them', () => {
    expect(removeLinks('Se https://evil.example/x, www.evil.example og post-dk.info/pakke.', '[link]')).toBe(
      'Se [link], [link] og [link].',
    );
    expect(removeLinks('f.eks. rapport.docx/side og jens@post.dk', '[link]')).toBe(
      'f.eks. rapport.docx/side og jens@post.dk',
    );
  });
});
