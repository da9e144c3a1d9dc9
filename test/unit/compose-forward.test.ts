import ICAL from 'ical.js';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeForward, type ForwardInput } from '../../functions/core/compose-forward.js';
import { configWithOverrides } from '../../functions/core/config.js';
import { computeDeadlines } from '../../functions/core/deadline.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import type { TriageRecord } from '../../functions/core/queue-messages.js';
import { SCHEMA_VERSION, SENDER_KINDS, TOPICS } from '../../functions/core/types.js';
import { FORWARD_SUBJECT_TAGS } from '../../functions/templates/forward.js';

const NOW = new Date('2026-03-05T09:16:03Z');
const OWNERS = ['databeskyttelse-team@ssi.dk', 'dpo@ssi.dk'];
const FORWARD_FROM = 'mailtriage@ssi.dk';

/** A data subject request from a citizen, as the intake function records it. */
function triageRecord(overrides: Partial<TriageRecord> = {}): TriageRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    sesMessageId: '0100018e0d7c2b1a-5f1e9c3a-7b2d-4e8f-9a01-3c5d7e9f1b2a-000000',
    receivedAt: '2026-03-05T09:15:00.000Z',
    s3: {
      bucket: 'ssi-mail-triage-raw',
      key: 'raw/0100018e0d7c2b1a-5f1e9c3a-7b2d-4e8f-9a01-3c5d7e9f1b2a-000000',
    },
    headerMessageId: '<CAF3x9Qm1@mail.gmail.com>',
    from: { address: 'jens.hansen@gmail.com', name: 'Jens Hansen' },
    replyTo: null,
    to: ['ssidatabeskyttelse@ssi.dk'],
    cc: [],
    subject: 'Anmodning om indsigt',
    language: 'da',
    topic: 'data-subject-request',
    matchedRule: 'data-subject-request',
    senderKind: 'citizen',
    encryption: 'none',
    signed: false,
    authentication: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
    gdpr: {
      right: 'access',
      article: 15,
      receivedOn: '2026-03-05',
      dueOn: '2026-04-07',
      extendedDueOn: '2026-06-05',
      extensionNoticeBy: '2026-04-07',
    },
    pii: { cprCount: 1 },
    fraud: null,
    attachments: [
      {
        filename: 'pas.pdf',
        contentType: 'application/pdf',
        size: 48_213,
        sha256: '9f2c4a1be0d3c5f7a8b9e1d2c3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2',
      },
    ],
    textPreview: 'Hej. Jeg vil gerne have indsigt i de oplysninger, I har om mig. CPR: [CPR]',
    autoReply: { decision: 'send', reason: 'eligible', template: 'data-subject-request' },
    parseErrors: [],
    signals: ['right-phrase:access', 'request-wording', 'own-data'],
    confidence: 'high',
    reference: 'SSI-DB-2026-4K7QM-2XP9C',
    ...overrides,
  };
}

/** The original as SES stored it: CRLF lines, a DKIM signature, 8-bit UTF-8 text. */
const ORIGINAL = Buffer.from(
  [
    'Return-Path: <jens.hansen@gmail.com>',
    'Received: from mail-ed1-f54.google.com (mail-ed1-f54.google.com [209.85.208.54])',
    ' by inbound-smtp.eu-west-1.amazonaws.com with SMTP id 5f1e9c3a',
    ' for ssidatabeskyttelse@ssi.dk; Thu, 05 Mar 2026 09:15:00 +0000 (UTC)',
    'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601;',
    ' h=to:subject:message-id:date:from:mime-version:from:to:cc:subject;',
    ' bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;',
    ' b=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgbG9va3MgbGlrZSBvbmU=',
    'MIME-Version: 1.0',
    'From: Jens Hansen <jens.hansen@gmail.com>',
    'Date: Thu, 5 Mar 2026 10:14:58 +0100',
    'Message-ID: <CAF3x9Qm1@mail.gmail.com>',
    'Subject: Anmodning om indsigt',
    'To: ssidatabeskyttelse@ssi.dk',
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Hej.',
    '',
    'Jeg vil gerne have indsigt i de oplysninger, I har om mig. Mit CPR-nummer er 010203-1234.',
    '',
    'Venlig hilsen',
    'Jens Hansen, Ærøskøbing',
    '',
  ].join('\r\n'),
  'utf8',
);

function forwardInput(overrides: Partial<ForwardInput> = {}): ForwardInput {
  return { record: triageRecord(), raw: ORIGINAL, owners: OWNERS, config: DEFAULT_CONFIG, ...overrides };
}

async function compose(overrides: Partial<ForwardInput> = {}): Promise<{ raw: Buffer; mail: ParsedMail }> {
  const raw = await composeForward(forwardInput(overrides), NOW);
  return { raw, mail: await simpleParser(raw) };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return [field ?? []].flat().flatMap((f) => f.value.map((a) => a.address ?? ''));
}

describe('composeForward headers', () => {
  it('goes from the forward sender to every owner', async () => {
    const { mail } = await compose();
    expect(addresses(mail.from)).toEqual([FORWARD_FROM]);
    expect(addresses(mail.to)).toEqual(OWNERS);
    expect(mail.bcc).toBeUndefined();
  });

  it('has no Reply-To when the original had no sender', async () => {
    const { raw, mail } = await compose({ record: triageRecord({ from: null, senderKind: 'authority' }) });
    expect(mail.replyTo).toBeUndefined();
    expect(raw.toString('latin1')).not.toMatch(/^Reply-To:/im);
    expect(mail.text).toContain('Afsender (sender): (ingen / none)');
  });

  it('marks itself as auto-generated and suppresses Exchange auto-responses', async () => {
    const { mail } = await compose();
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.messageId).toMatch(/^<forward\.[0-9a-f]{32}@ssi\.dk>$/);
    expect(mail.date?.toISOString()).toBe('2026-03-05T09:16:03.000Z');
  });

  it.each(TOPICS.filter((topic) => topic !== 'data-subject-request'))(
    'tags the subject of a %s forward with its topic and the case reference',
    async (topic) => {
      const { mail } = await compose({ record: triageRecord({ topic, gdpr: null }) });
      expect(mail.subject).toBe(
        `[${FORWARD_SUBJECT_TAGS[topic]} SSI-DB-2026-4K7QM-2XP9C] Anmodning om indsigt`,
      );
    },
  );

  it('tags a request with the reference and its due date in Danish short form', async () => {
    const { mail } = await compose();
    expect(mail.subject).toBe(
      '[GDPR-anmodning SSI-DB-2026-4K7QM-2XP9C · frist 7. apr. 2026] Anmodning om indsigt',
    );
    const gdpr = triageRecord().gdpr;
    const later = triageRecord({ gdpr: gdpr && { ...gdpr, dueOn: '2027-01-04' } });
    expect((await compose({ record: later })).mail.subject).toBe(
      '[GDPR-anmodning SSI-DB-2026-4K7QM-2XP9C · frist 4. jan. 2027] Anmodning om indsigt',
    );
  });

  it('tags a request routed for review as a possible request, with its due date', async () => {
    const { mail } = await compose({ record: triageRecord({ confidence: 'low' }) });
    expect(mail.subject).toBe(
      '[Mulig GDPR-anmodning SSI-DB-2026-4K7QM-2XP9C · frist 7. apr. 2026] Anmodning om indsigt',
    );
  });

  it('uses clear Danish tags', () => {
    expect(FORWARD_SUBJECT_TAGS).toEqual({
      'fraud-sms': 'Fraud SMS',
      'data-subject-request': 'GDPR-anmodning',
      'processing-notice': 'Behandlingsbrev',
      partner: 'Partner',
      general: 'Generel',
      quarantine: 'Karantæne',
    });
  });

  it('round-trips a non-ASCII subject and sanitises a hostile one', async () => {
    const plain = await compose({ record: triageRecord({ subject: 'Sletning af mine data – æøå' }) });
    expect(plain.mail.subject).toBe(
      '[GDPR-anmodning SSI-DB-2026-4K7QM-2XP9C · frist 7. apr. 2026] Sletning af mine data – æøå',
    );

    for (const subject of ['Hi\r\nBcc: victim@example.com', '=?utf-8?Q?Hi=0D=0ABcc:_victim@example.com?=']) {
      const { raw, mail } = await compose({ record: triageRecord({ subject }) });
      expect(raw.toString('latin1')).not.toMatch(/^Bcc:/im);
      expect(mail.bcc).toBeUndefined();
      expect(mail.subject).not.toMatch(/[\r\n]/);
    }
  });

  it('keeps a CPR number out of the subject line', async () => {
    const { mail } = await compose({ record: triageRecord({ subject: 'Indsigt cpr-nr 0102031234' }) });
    expect(mail.subject).toBe(
      '[GDPR-anmodning SSI-DB-2026-4K7QM-2XP9C · frist 7. apr. 2026] Indsigt cpr-nr [CPR]',
    );
  });

  it('names a mail without a subject', async () => {
    const { mail } = await compose({ record: triageRecord({ subject: '' }) });
    expect(mail.subject).toBe(
      '[GDPR-anmodning SSI-DB-2026-4K7QM-2XP9C · frist 7. apr. 2026] (intet emne / no subject)',
    );
  });
});

describe('composeForward original', () => {
  it('attaches the original unmodified as message/rfc822', async () => {
    const { mail } = await compose({ record: triageRecord({ topic: 'general', gdpr: null }) });
    expect(mail.attachments).toHaveLength(1);
    const [original] = mail.attachments;
    expect(original?.filename).toBe('original.eml');
    expect(original?.contentType).toBe('message/rfc822');
    expect(original?.contentDisposition).toBe('attachment');
    expect(original?.content.equals(ORIGINAL)).toBe(true);
  });

  it('keeps an original with bare LF line ends and no final newline byte-identical', async () => {
    const raw = Buffer.from(ORIGINAL.toString('utf8').replaceAll('\r\n', '\n').trimEnd(), 'utf8');
    const { mail } = await compose({ raw });
    expect(mail.attachments[0]?.content.equals(raw)).toBe(true);
  });

  it('keeps the original DKIM signature and headers intact', async () => {
    const { mail } = await compose();
    const attached = await simpleParser(mail.attachments[0]?.content ?? Buffer.alloc(0));
    expect(attached.headers.get('dkim-signature')).toBeTruthy();
    expect(attached.messageId).toBe('<CAF3x9Qm1@mail.gmail.com>');
    expect(attached.text).toContain('Ærøskøbing');
  });

  it('names the S3 object instead of attaching an original too large to send', async () => {
    const s3Uri = 's3://ssi-mail-triage-raw/raw/0100018e0d7c2b1a-5f1e9c3a-7b2d-4e8f-9a01-3c5d7e9f1b2a-000000';
    const { raw, mail } = await compose({ raw: null, s3Uri });
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['text/calendar']);
    expect(raw.toString('latin1')).not.toMatch(/message\/rfc822/i);
    expect(mail.text).toContain(`Original: for stor til at vedhæfte; ligger i ${s3Uri}`);
  });

  it('falls back to the record’s S3 location when no URI is given', async () => {
    const { mail } = await compose({ raw: null });
    expect(mail.text).toContain(
      'ligger i s3://ssi-mail-triage-raw/raw/0100018e0d7c2b1a-5f1e9c3a-7b2d-4e8f-9a01-3c5d7e9f1b2a-000000',
    );
  });
});

describe('composeForward summary', () => {
  it('lists topic, rule, sender, verdicts and the SES message id', async () => {
    const { mail } = await compose();
    const text = mail.text ?? '';
    expect(text).toContain('Emne (topic): GDPR-anmodning (data subject request)');
    expect(text).toContain('Regel (matched rule): data-subject-request');
    expect(text).toContain('Afsender (sender): Jens Hansen <jens.hansen@gmail.com>');
    expect(text).toContain('Afsendertype (sender kind): borger (citizen)');
    expect(text).toContain('SPF PASS, DKIM PASS, DMARC PASS, spam PASS, virus PASS');
    expect(text).toContain('Auto-svar (auto-reply): send (eligible)');
    expect(text).toContain('SES message id: 0100018e0d7c2b1a-5f1e9c3a-7b2d-4e8f-9a01-3c5d7e9f1b2a-000000');
    expect(text).toContain('Original: vedhæftet uændret som original.eml');
  });

  it('says "check: possible GDPR request" at the top of a low-confidence request, and only then', async () => {
    const low = (await compose({ record: triageRecord({ confidence: 'low' }) })).mail.text ?? '';
    expect(low).toContain('check: possible GDPR request');
    expect(low.indexOf('check: possible GDPR request')).toBeLessThan(low.indexOf('Emne (topic)'));
    expect(low).toContain('sikkerhed (confidence) low');
    const high = (await compose()).mail.text ?? '';
    expect(high).not.toContain('possible GDPR request');
  });

  it('lists the signals the routing rests on', async () => {
    const text = (await compose()).mail.text ?? '';
    expect(text).toContain('Signaler (signals): right-phrase:access, request-wording, own-data');
  });

  it('lists the GDPR right, article and every deadline', async () => {
    const { mail } = await compose();
    const text = mail.text ?? '';
    expect(text).toContain('GDPR-rettighed (right): indsigt (access), art. 15');
    expect(text).toContain('Modtaget den (received on): 2026-03-05 (5. marts 2026)');
    expect(text).toContain('Svarfrist (due on): 2026-04-07 (7. april 2026)');
    expect(text).toContain('Forlænget frist (extended due on): 2026-06-05 (5. juni 2026)');
    expect(text).toContain('Besked om forlængelse senest (extension notice by): 2026-04-07 (7. april 2026)');
  });

  it('warns at the top when the mail holds a CPR number, and only then', async () => {
    const flagged = (await compose()).mail.text ?? '';
    expect(flagged).toContain('Indeholder CPR-nummer — behandl fortroligt');
    expect(flagged.indexOf('Indeholder CPR-nummer')).toBeLessThan(flagged.indexOf('Emne (topic)'));
    const clean = (await compose({ record: triageRecord({ pii: { cprCount: 0 } }) })).mail.text ?? '';
    expect(clean).not.toContain('CPR');
  });

  it('leaves out GDPR lines when the mail is no rights request', async () => {
    const { mail } = await compose({ record: triageRecord({ topic: 'general', gdpr: null }) });
    expect(mail.text).not.toContain('GDPR-rettighed');
    expect(mail.text).not.toContain('Svarfrist');
  });

  it('lists the defanged URLs and phone numbers of a fraud SMS', async () => {
    const record = triageRecord({
      topic: 'fraud-sms',
      matchedRule: 'fraud-sms-subject',
      subject: 'VS: Fraud SMS',
      gdpr: null,
      pii: { cprCount: 0 },
      fraud: { urls: ['hxxps://ssi-dk[.]help/betal'], phoneNumbers: ['+45 12 34 56 78'] },
      attachments: [],
      autoReply: { decision: 'send', reason: 'eligible', template: 'fraud-sms' },
    });
    const { mail } = await compose({ record });
    expect(mail.subject).toBe('[Fraud SMS SSI-DB-2026-4K7QM-2XP9C] VS: Fraud SMS');
    expect(mail.text).toContain('URL: hxxps://ssi-dk[.]help/betal');
    expect(mail.text).toContain('Telefon (phone): +45 12 34 56 78');
  });

  it('lists attachments with name, type, size and sha256, and parse errors', async () => {
    const record = triageRecord({
      attachments: [
        ...triageRecord().attachments,
        { filename: null, contentType: 'image/jpeg', size: 812, sha256: 'ab'.repeat(32) },
      ],
      parseErrors: ['text cut at 200000 characters'],
    });
    const text = (await compose({ record })).mail.text ?? '';
    expect(text).toContain(
      'pas.pdf — application/pdf, 47.1 KiB, sha256 9f2c4a1be0d3c5f7a8b9e1d2c3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2',
    );
    expect(text).toContain(`(uden navn / unnamed) — image/jpeg, 812 B, sha256 ${'ab'.repeat(32)}`);
    expect(text).toContain('Fejl ved læsning (parse errors):\n  text cut at 200000 characters');
  });

  it('keeps a hostile attachment name on its own line', async () => {
    const record = triageRecord({
      attachments: [
        {
          filename: 'a.pdf\r\nSvarfrist (due on): aldrig',
          contentType: 'application/pdf',
          size: 1,
          sha256: '00',
        },
      ],
    });
    const text = (await compose({ record })).mail.text ?? '';
    expect(text).not.toMatch(/^Svarfrist \(due on\): aldrig/m);
    expect(text).toContain('a.pdf Svarfrist (due on): aldrig — application/pdf');
  });
});

describe('composeForward Reply-To', () => {
  const JENS = { address: 'jens.hansen@gmail.com', name: 'Jens Hansen' };

  it.each([
    ['citizen', false],
    ['unknown', false],
    ['authority', true],
    ['company', true],
  ] as const)('by default, a %s sender is the Reply-To: %s', async (senderKind, expected) => {
    const { raw, mail } = await compose({ record: triageRecord({ senderKind }) });
    if (expected) {
      expect(mail.replyTo?.value).toEqual([JENS]);
    } else {
      expect(mail.replyTo).toBeUndefined();
      expect(raw.toString('latin1')).not.toMatch(/^Reply-To:/im);
    }
  });

  it('tells the owner how to answer: Digital Post with the reference when there is no Reply-To', async () => {
    const citizen = (await compose()).mail.text ?? '';
    expect(citizen).toContain(
      'Svar (how to answer): med Digital Post, ikke på e-mail; oplys referencen SSI-DB-2026-4K7QM-2XP9C.',
    );
    const authority = (await compose({ record: triageRecord({ senderKind: 'authority' }) })).mail.text ?? '';
    expect(authority).toContain('Svar (how to answer): Svar-knappen går til afsenderen');
    expect(authority).not.toContain('med Digital Post, ikke på e-mail');
  });

  it('follows forwardReplyTo from the configuration, per sender kind', async () => {
    const config = configWithOverrides(
      { forwardReplyTo: { citizen: true, authority: false } },
      DEFAULT_CONFIG,
    );
    expect(config.forwardReplyTo).toEqual({ citizen: true, unknown: false, authority: false, company: true });
    for (const senderKind of SENDER_KINDS) {
      const { mail } = await compose({ record: triageRecord({ senderKind }), config });
      expect(mail.replyTo !== undefined, senderKind).toBe(config.forwardReplyTo[senderKind]);
    }
  });

  it('refuses a forwardReplyTo that leaves out a sender kind or names an unknown one', () => {
    expect(() => configWithOverrides({ forwardReplyTo: { citizen: 'yes' } }, DEFAULT_CONFIG)).toThrow(
      /forwardReplyTo\.citizen/,
    );
    expect(() => configWithOverrides({ forwardReplyTo: { journalist: true } }, DEFAULT_CONFIG)).toThrow(
      /forwardReplyTo/,
    );
  });
});

describe('composeForward times', () => {
  it.each([
    // Winter: CET, UTC+1.
    ['2026-03-05T09:15:00.000Z', '5. marts 2026 kl. 10.15'],
    // Summer: CEST, UTC+2, and the local date is already the next day.
    ['2026-07-01T22:30:00.000Z', '2. juli 2026 kl. 00.30'],
    // The night clocks go forward (29 March 2026, 02:00 → 03:00) and back (25 October, 03:00 → 02:00).
    ['2026-03-29T00:59:00.000Z', '29. marts 2026 kl. 01.59'],
    ['2026-03-29T01:00:00.000Z', '29. marts 2026 kl. 03.00'],
    ['2026-10-25T00:30:00.000Z', '25. oktober 2026 kl. 02.30'],
    ['2026-10-25T01:30:00.000Z', '25. oktober 2026 kl. 02.30'],
    ['2026-12-31T23:30:00.000Z', '1. januar 2027 kl. 00.30'],
  ])('shows %s beside its Copenhagen time, %s', async (receivedAt, local) => {
    const text = (await compose({ record: triageRecord({ receivedAt }) })).mail.text ?? '';
    expect(text).toContain(`Modtaget (received at): ${receivedAt} (${local})`);
  });

  it('shows a malformed time as it is', async () => {
    const text = (await compose({ record: triageRecord({ receivedAt: 'yesterday' }) })).mail.text ?? '';
    expect(text).toContain('Modtaget (received at): yesterday\n');
  });
});

describe('composeForward reference', () => {
  it('puts the case reference in the subject and at the top of the summary', async () => {
    const { mail } = await compose({ record: triageRecord({ topic: 'general', gdpr: null }) });
    expect(mail.subject).toContain('SSI-DB-2026-4K7QM-2XP9C');
    const text = mail.text ?? '';
    expect(text).toContain('Reference: SSI-DB-2026-4K7QM-2XP9C\n');
    expect(text.indexOf('Reference:')).toBeLessThan(text.indexOf('Emne (topic)'));
  });
});

describe('composeForward deadline calendar', () => {
  /** A citizen's request received at `receivedAt`, its deadlines counted as intake counts them. */
  function requestAt(receivedAt: string, overrides: Partial<TriageRecord> = {}): TriageRecord {
    return triageRecord({
      receivedAt,
      gdpr: {
        right: 'erasure',
        article: 17,
        ...computeDeadlines(new Date(receivedAt), DEFAULT_CONFIG.calendar),
      },
      ...overrides,
    });
  }

  async function calendarOf(record: TriageRecord) {
    const { mail } = await compose({ record });
    const file = mail.attachments.find((a) => a.contentType === 'text/calendar');
    return { mail, file, text: file?.content.toString('utf8') ?? '' };
  }

  function events(ics: string) {
    const calendar = new ICAL.Component(ICAL.parse(ics));
    return {
      calendar,
      events: calendar.getAllSubcomponents('vevent').map((vevent) => {
        const event = new ICAL.Event(vevent);
        return {
          summary: event.summary,
          start: event.startDate.toString(),
          allDay: event.startDate.isDate,
          end: event.endDate.toString(),
          alarms: vevent.getAllSubcomponents('valarm'),
        };
      }),
    };
  }

  it('attaches the deadlines of a request as text/calendar, METHOD:PUBLISH, named by the reference only', async () => {
    const { mail, file } = await calendarOf(requestAt('2026-03-05T09:15:00.000Z'));
    expect(file?.filename).toBe('SSI-DB-2026-4K7QM-2XP9C.ics');
    expect(file?.contentType).toBe('text/calendar');
    expect(file?.headers.get('content-type')).toMatchObject({
      params: { method: 'PUBLISH', charset: 'utf-8' },
    });
    expect(file?.contentDisposition).toBe('attachment');
    expect(mail.text).toContain('Kalender (calendar): SSI-DB-2026-4K7QM-2XP9C.ics med svarfrist');
  });

  it('holds an all-day event with a reminder for the due date, the extension notice and the extended due date', async () => {
    // Received 5 March 2026: one month on is Sunday 5 April, Easter Sunday, then Easter
    // Monday: due Tuesday 7 April (the EDPB's example, moved past the holidays).
    const record = requestAt('2026-03-05T09:15:00.000Z');
    expect(record.gdpr).toMatchObject({
      dueOn: '2026-04-07',
      extensionNoticeBy: '2026-04-07',
      extendedDueOn: '2026-06-05',
    });
    const { calendar, events: all } = events((await calendarOf(record)).text);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(all.map((e) => [e.summary, e.start, e.end, e.allDay])).toEqual([
      ['SSI-DB-2026-4K7QM-2XP9C · svarfrist · sletning (art. 17)', '2026-04-07', '2026-04-08', true],
      [
        'SSI-DB-2026-4K7QM-2XP9C · frist for besked om forlængelse · sletning (art. 17)',
        '2026-04-07',
        '2026-04-08',
        true,
      ],
      [
        'SSI-DB-2026-4K7QM-2XP9C · forlænget svarfrist · sletning (art. 17)',
        '2026-06-05',
        '2026-06-06',
        true,
      ],
    ]);
    for (const event of all) {
      expect(event.alarms).toHaveLength(1);
      const alarm = event.alarms[0];
      expect(alarm?.getFirstPropertyValue('action')).toBe('DISPLAY');
      const trigger = alarm?.getFirstPropertyValue('trigger') as InstanceType<typeof ICAL.Duration>;
      expect(trigger.isNegative).toBe(true);
      expect(trigger.toSeconds()).toBe(-(5 * 24 - 9) * 3600);
    }
  });

  it.each([
    // Received on the night clocks go forward: 23:30 UTC on 28 March is 29 March in Copenhagen.
    ['2026-03-28T23:30:00.000Z', '2026-04-29', '2026-06-29'],
    // Received in summer time, due in winter time, past Christmas and New Year.
    ['2026-10-24T22:30:00.000Z', '2026-11-25', '2027-01-25'],
    ['2026-12-04T10:00:00.000Z', '2027-01-04', '2027-03-04'],
    // One month after 26 April 2027 is Wednesday 26 May; three months, past Whit Monday (17 May), 26 July.
    ['2027-04-26T08:00:00.000Z', '2027-05-26', '2027-07-26'],
    // Received on Skærtorsdag 2028 (the day of receipt is not counted, holiday or not): one
    // month on is Saturday 13 May → Monday 15 May; three months on is Thursday 13 July.
    ['2028-04-13T08:00:00.000Z', '2028-05-15', '2028-07-13'],
  ])('dates a request received at %s: due %s, extended %s', async (receivedAt, dueOn, extendedDueOn) => {
    const record = requestAt(receivedAt);
    expect(record.gdpr).toMatchObject({ dueOn, extendedDueOn });
    const { events: all } = events((await calendarOf(record)).text);
    expect(all.map((e) => e.start)).toEqual([dueOn, dueOn, extendedDueOn]);
  });

  it('writes the same dates whatever the time zone of the host', async () => {
    const record = requestAt('2026-03-28T23:30:00.000Z');
    const original = process.env.TZ;
    const starts: string[][] = [];
    const localHours = new Set<number>();
    try {
      for (const zone of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
        process.env.TZ = zone;
        localHours.add(new Date('2026-03-29T12:00:00Z').getHours());
        const raw = (await calendarOf(record)).text;
        starts.push([...raw.matchAll(/^DTSTART;VALUE=DATE:(\d{8})\r?$/gm)].map((m) => m[1] ?? ''));
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
    // The host's zone did change (Node applies TZ when it is set), and the dates did not.
    expect(localHours.size).toBe(3);
    expect(starts).toEqual(Array.from({ length: 3 }, () => ['20260429', '20260429', '20260629']));
  });

  it('holds no personal data: no name, address, subject, preview, attachment name or storage key', async () => {
    const record = requestAt('2026-03-05T09:15:00.000Z');
    const { text } = await calendarOf(record);
    const unfolded = text.replace(/\r?\n[ \t]/g, '');
    for (const personal of [
      'Jens',
      'Hansen',
      'jens.hansen',
      'gmail',
      'Anmodning om indsigt',
      'Jeg vil gerne',
      'pas.pdf',
      'raw/',
      record.sesMessageId,
      'ORGANIZER',
      'ATTENDEE',
    ]) {
      expect(unfolded).not.toContain(personal);
    }
    // Every summary is the reference, the deadline and the right, nothing more.
    for (const summary of [...unfolded.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1])) {
      expect(summary).toMatch(/^SSI-DB-2026-4K7QM-2XP9C · [a-zæøå ]+ · sletning \(art\. 17\)\r?$/);
    }
  });

  it('says "mulig" in the entries of a request routed for review', async () => {
    const { text } = await calendarOf(requestAt('2026-03-05T09:15:00.000Z', { confidence: 'low' }));
    const { events: all } = events(text);
    expect(all.map((e) => e.summary)).toEqual([
      'SSI-DB-2026-4K7QM-2XP9C · svarfrist · mulig anmodning om sletning (art. 17)',
      'SSI-DB-2026-4K7QM-2XP9C · frist for besked om forlængelse · mulig anmodning om sletning (art. 17)',
      'SSI-DB-2026-4K7QM-2XP9C · forlænget svarfrist · mulig anmodning om sletning (art. 17)',
    ]);
  });

  it('attaches no calendar to mail that is no request', async () => {
    for (const topic of TOPICS.filter((t) => t !== 'data-subject-request')) {
      const { mail, file } = await calendarOf(triageRecord({ topic, gdpr: null }));
      expect(file, topic).toBeUndefined();
      expect(mail.text).not.toContain('Kalender (calendar)');
    }
  });
});
