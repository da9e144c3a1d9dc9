import { DomUtils, parseDocument } from 'htmlparser2';
import { type ParsedMail, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeReply, ReplyAddressInvalid } from '../../functions/core/compose-reply.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { sanitiseSubject } from '../../functions/core/outgoing-mail.js';
import type { ReplyJob } from '../../functions/core/queue-messages.js';
import { REPLY_TEMPLATES, type ReplyTemplate } from '../../functions/core/types.js';
import {
  blockText,
  formatDate,
  LINK_HOSTS,
  NOT_BY_EMAIL,
  REPLY_TEXTS,
} from '../../functions/templates/index.js';
import { renderBlocks } from '../../functions/templates/reply-texts.js';
import { replyJob } from '../support/reply-job.js';

const NOW = new Date('2026-03-05T09:15:42Z');

const ACCESS_REQUEST: ReplyJob['gdpr'] = {
  right: 'access',
  article: 15,
  receivedOn: '2026-03-05',
  dueOn: '2026-04-07',
  extendedDueOn: '2026-06-05',
  extensionNoticeBy: '2026-04-07',
};

async function compose(overrides: Partial<ReplyJob> = {}): Promise<{ raw: Buffer; mail: ParsedMail }> {
  const raw = await composeReply(replyJob(overrides), DEFAULT_CONFIG, NOW);
  return { raw, mail: await simpleParser(raw) };
}

function headerBlock(raw: Buffer): string {
  const text = raw.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n'));
}

describe('composeReply headers', () => {
  it('comes from the configured sender and goes to the one reply address', async () => {
    const { mail } = await compose();
    expect(mail.from?.value).toEqual([
      { name: 'Statens Serum Institut', address: 'ssidatabeskyttelse@ssi.dk' },
    ]);
    const to = Array.isArray(mail.to) ? mail.to : [mail.to];
    expect(to.flatMap((t) => t?.value ?? []).map((a) => a.address)).toEqual(['jens.hansen@gmail.com']);
    expect(mail.cc).toBeUndefined();
    expect(mail.bcc).toBeUndefined();
  });

  it('marks itself as an automatic reply (RFC 3834) and suppresses Exchange auto-responses', async () => {
    const { raw, mail } = await compose();
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.headers.get('content-language')).toBe('da, en');
    // RFC 3834 §5.1 discourages Precedence.
    expect(headerBlock(raw)).not.toMatch(/^Precedence:/im);
  });

  it('threads the reply with In-Reply-To and References that end with the original id', async () => {
    const { mail } = await compose();
    expect(mail.inReplyTo).toBe('<CAF3x9Qm1@mail.gmail.com>');
    expect(mail.references).toEqual(['<CAF1a2Bc3@mail.gmail.com>', '<CAF3x9Qm1@mail.gmail.com>']);
  });

  it('does not repeat an id already in References', async () => {
    const { mail } = await compose({
      references: ['<CAF1a2Bc3@mail.gmail.com>', '<CAF3x9Qm1@mail.gmail.com>'],
    });
    expect(mail.references).toEqual(['<CAF1a2Bc3@mail.gmail.com>', '<CAF3x9Qm1@mail.gmail.com>']);
  });

  it('leaves out In-Reply-To and References when the original had no ids', async () => {
    const { raw } = await compose({ inReplyTo: null, references: [] });
    expect(headerBlock(raw)).not.toMatch(/^(In-Reply-To|References):/im);
  });

  it('cuts a long References header to its first and latest ids', async () => {
    const references = Array.from({ length: 40 }, (_, i) => `<thread-${i}@example.com>`);
    const { mail } = await compose({ references, inReplyTo: '<thread-39@example.com>' });
    const kept = [mail.references ?? []].flat();
    expect(kept).toHaveLength(20);
    expect(kept[0]).toBe('<thread-0@example.com>');
    expect(kept.at(-1)).toBe('<thread-39@example.com>');
  });

  it('has a Message-ID under the reply domain, stable for the same SES message', async () => {
    const first = await compose();
    const again = await compose();
    const other = await compose({ sesMessageId: 'another-ses-id' });
    expect(first.mail.messageId).toMatch(/^<auto-reply\.[0-9a-f]{32}@ssi\.dk>$/);
    expect(again.mail.messageId).toBe(first.mail.messageId);
    expect(other.mail.messageId).not.toBe(first.mail.messageId);
  });

  it('is dated by the injected clock', async () => {
    const { mail } = await compose();
    expect(mail.date?.toISOString()).toBe('2026-03-05T09:15:42.000Z');
  });

  it('refuses a reply address that is not one plain mailbox', async () => {
    for (const to of [
      'a@example.com, b@example.com',
      'Jens <jens@gmail.com>',
      'jens@gmail.com\r\nBcc: x@y.dk',
      '',
    ]) {
      await expect(composeReply(replyJob({ to }), DEFAULT_CONFIG, NOW)).rejects.toBeInstanceOf(
        ReplyAddressInvalid,
      );
    }
  });
});

describe('composeReply subject', () => {
  it('prefixes the original subject in both languages: "Automatisk svar / Automatic reply:"', async () => {
    const { mail } = await compose({ subject: 'Spørgsmål om mine oplysninger' });
    expect(mail.subject).toBe('Automatisk svar / Automatic reply: Spørgsmål om mine oplysninger');
  });

  it('does not nest the prefix when the citizen answers the reply', async () => {
    const { mail } = await compose({ subject: 'SV: Automatisk svar / Automatic reply: Re: Indsigt' });
    expect(mail.subject).toBe('Automatisk svar / Automatic reply: Re: Indsigt');
  });

  it('round-trips a non-ASCII subject through RFC 2047 encoding', async () => {
    const subject = 'Ændring af adresse – æøå ÆØÅ ü 😀';
    const { raw, mail } = await compose({ subject });
    expect(mail.subject).toBe(`Automatisk svar / Automatic reply: ${subject}`);
    // Header bytes stay 7-bit: the non-ASCII text travels as encoded words.
    expect(headerBlock(raw)).toMatch(/^[\x20-\x7e\r\n\t]*$/);
  });

  it('uses a bilingual subject when the original had none', async () => {
    const { mail } = await compose({ subject: ' \t ' });
    expect(mail.subject).toBe('Automatisk svar / Automatic reply');
  });

  it('does not send back a CPR number in the subject', async () => {
    const { raw, mail } = await compose({ subject: 'Indsigt, cpr 010203-1234', cprWarning: true });
    expect(mail.subject).toBe('Automatisk svar / Automatic reply: Indsigt, cpr [CPR]');
    expect(raw.toString('latin1')).not.toContain('010203');
  });

  it('truncates a very long subject to 150 characters', async () => {
    const { mail } = await compose({ subject: `Fraud SMS ${'meget lang '.repeat(200)}` });
    const original = (mail.subject ?? '').replace(/^Automatisk svar \/ Automatic reply: /, '');
    expect(Array.from(original).length).toBeLessThanOrEqual(150);
    expect(original.startsWith('Fraud SMS meget lang')).toBe(true);
    expect(original.endsWith('…')).toBe(true);
  });

  const injections = [
    'Hi\r\nBcc: victim@example.com',
    'Hi\nBcc: victim@example.com',
    'Hi\rBcc: victim@example.com',
    'Hi\u2028Bcc: victim@example.com',
    '=?UTF-8?B?SGkNCkJjYzogdmljdGltQGV4YW1wbGUuY29t?=',
    '=?utf-8?Q?Hi=0D=0ABcc:_victim@example.com?=',
    'Æble =?utf-8?Q?Hi=0D=0ABcc:_victim@example.com?=',
  ];
  it.each(injections)('never lets the subject %j add a header', async (subject) => {
    const { raw, mail } = await compose({ subject });
    expect(raw.toString('latin1')).not.toMatch(/^Bcc:/im);
    expect(mail.bcc).toBeUndefined();
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject?.startsWith('Automatisk svar / Automatic reply: ')).toBe(true);
  });

  it('shows an encoded-word look-alike literally instead of letting the reader decode it', async () => {
    const { mail } = await compose({ subject: '=?utf-8?Q?Hi=0D=0ABcc:_victim@example.com?=' });
    expect(mail.subject).toBe(
      'Automatisk svar / Automatic reply: =?utf-8?Q?Hi=0D=0ABcc:_victim@example.com?=',
    );
  });

  it('never lets a message id from the original add a header', async () => {
    const { raw, mail } = await compose({
      inReplyTo: '<a@b.dk>\r\nBcc: victim@example.com',
      references: ['<c@d.dk>\nBcc: victim@example.com', '<ok@example.com>'],
    });
    expect(raw.toString('latin1')).not.toMatch(/^Bcc:/im);
    expect(mail.bcc).toBeUndefined();
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBe('<ok@example.com>');
  });
});

describe('sanitiseSubject', () => {
  it.each([
    ['Automatisk svar: Automatisk svar: Indsigt', 'Indsigt'],
    ['Auto: AUTOMATIC REPLY: Indsigt', 'Indsigt'],
    ['SV: Automatisk svar: Re: Indsigt', 'Re: Indsigt'],
    ['Re: Automatisk svar / Automatic reply: Indsigt', 'Indsigt'],
    ['Automatic reply/Autosvar: Indsigt', 'Indsigt'],
    ['Svar / spørgsmål: Indsigt', 'Svar / spørgsmål: Indsigt'],
    ['Re: Indsigt', 'Re: Indsigt'],
    ['Autosvar: Fraud SMS', 'Fraud SMS'],
    ['Automobil: salg', 'Automobil: salg'],
    ['  Fraud\t\tSMS \u00a0 fra   banken ', 'Fraud SMS fra banken'],
    ['Hi\u0000\u0007\u001b[31mred\u007f\u0085', 'Hi [31mred'],
    ['Bank\u202eLPT.exe\u202c', 'Bank LPT.exe'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(sanitiseSubject(input)).toBe(expected);
  });

  it('cuts on characters, not UTF-16 halves', () => {
    const cut = sanitiseSubject('😀'.repeat(300));
    expect(Array.from(cut)).toHaveLength(150);
    expect(cut).toBe(`${'😀'.repeat(149)}…`);
  });
});

const REFERENCE = 'SSI-DB-2026-4K7QM-2XP9C';
const textOf = (mail: ParsedMail) => mail.text ?? '';
const htmlOf = (mail: ParsedMail) => (typeof mail.html === 'string' ? mail.html : '');
const jobFor = (template: ReplyTemplate, overrides: Partial<ReplyJob> = {}) => ({
  template,
  gdpr: template === 'data-subject-request' ? ACCESS_REQUEST : null,
  ...overrides,
});
const occurrences = (text: string, phrase: string) => text.split(phrase).length - 1;

describe('composeReply body', () => {
  it('has a plain-text and an HTML alternative', async () => {
    const { raw, mail } = await compose();
    expect(raw.toString('latin1')).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.text).toBeTruthy();
    expect(mail.html).toContain('<div lang="da" id="da">');
    expect(mail.html).toContain('<div lang="en" id="en">');
  });

  it('starts with a one-line pointer to the English version, then Danish, then English below a separator', async () => {
    const { mail } = await compose();
    const text = textOf(mail);
    expect(text.split('\n')[0]).toBe('English version below.');
    const separator = text.indexOf(`\n${'-'.repeat(60)}\n`);
    expect(separator).toBeGreaterThan(0);
    expect(text.indexOf('Automatisk svar fra Statens Serum Institut\n=====')).toBeLessThan(
      text.indexOf('Tak for din e-mail'),
    );
    expect(text.indexOf('Tak for din e-mail')).toBeLessThan(separator);
    expect(text.indexOf('Automatic reply from Statens Serum Institut\n=====')).toBeGreaterThan(separator);
    expect(text.indexOf('Thank you for your e-mail')).toBeGreaterThan(separator);
  });

  it.each(REPLY_TEMPLATES)(
    '%s gives every citizen the Digital Post guidance in both languages',
    async (template) => {
      const { mail } = await compose(jobFor(template));
      const text = textOf(mail);
      for (const phrase of [
        'med Digital Post og ikke på e-mail',
        'gå til borger.dk og vælg „Skriv til en offentlig myndighed“',
        'brug appen mit.dk eller e-Boks',
        'Vælg Statens Serum Institut som modtager og derefter et kontaktpunkt',
        'så vælg hovedpostkassen',
        'Er du fritaget for Digital Post',
        'Artillerivej 5\n2300 København S',
        'hvilken afdeling eller person',
        'Læs mere om, hvordan du kommunikerer sikkert med os, på ssi.dk.',
        'Dette er et automatisk svar.',
        'through Digital Post, not by e-mail',
        'go to borger.dk and choose “Skriv til en offentlig myndighed” (Write to a public authority)',
        'use the mit.dk or e-Boks app',
        'the main mailbox (hovedpostkasse)',
        'If you are exempt from Digital Post',
        'which department or person',
        'on en.ssi.dk (“Secure communication with SSI”)',
        'This is an automatic reply.',
      ]) {
        expect(text).toContain(phrase);
      }
    },
  );

  it.each(REPLY_TEMPLATES)(
    '%s asks in both languages for the case reference in Digital Post',
    async (template) => {
      const { mail } = await compose(jobFor(template));
      expect(textOf(mail)).toContain(
        `Oplys venligst referencen ${REFERENCE}, når du skriver via Digital Post, så vi kan se, at det hører sammen med denne e-mail.`,
      );
      expect(textOf(mail)).toContain(
        `Please quote reference ${REFERENCE} when you write through Digital Post`,
      );
      expect(occurrences(htmlOf(mail), `<strong>${REFERENCE}</strong>`)).toBe(2);
    },
  );

  it.each([false, true])(
    'says "not by e-mail" exactly once per language in every reply (CPR number held: %s)',
    async (cprWarning) => {
      for (const template of REPLY_TEMPLATES) {
        const { mail } = await compose(jobFor(template, { cprWarning }));
        for (const body of [textOf(mail), htmlOf(mail)]) {
          expect(occurrences(body, NOT_BY_EMAIL.da), `${template} da`).toBe(1);
          expect(occurrences(body, NOT_BY_EMAIL.en), `${template} en`).toBe(1);
          // The lecture of the old wording, and any second warning, are gone.
          expect(body).not.toMatch(
            /send venligst ikke|please do not send|allerede din e-mailadresse|even your e-mail address/i,
          );
        }
      }
    },
  );

  const distinctive: Record<ReplyTemplate, string[]> = {
    'fraud-sms': [
      'anmeldt en mistænkelig SMS',
      'Statens Serum Institut sender aldrig SMS’er med links til borgere',
      'Klik ikke på linket, svar ikke på beskeden, og slet SMS’en',
      'Vi bruger din anmeldelse til at advare andre',
      'for reporting a suspicious text message',
      'never sends text messages with links to citizens',
      'Do not click the link, do not reply to the message, and delete the SMS',
      'We use your report to warn others',
    ],
    'data-subject-request': [
      'Vi har modtaget din anmodning den 5. marts 2026',
      'Din anmodning gælder, selv om du har sendt den på e-mail',
      'dokumentation for din identitet',
      'We received your request on 5 March 2026',
      'Your request is valid even though you sent it by e-mail',
      'documentation of your identity',
    ],
    'processing-notice': [
      '„Information om behandling af personoplysninger“',
      'kontaktpunktet „Borgerhenvendelser“',
      '“Information om behandling af personoplysninger”',
      'the contact point “Borgerhenvendelser”',
    ],
    general: [
      'Vi har sendt den videre til de medarbejdere, der skal behandle den',
      'We have forwarded it to the team that handles it',
    ],
  };
  it.each(REPLY_TEMPLATES)('%s says what is distinctive for it', async (template) => {
    const { mail } = await compose(jobFor(template, { forwarded: true }));
    for (const phrase of distinctive[template]) expect(mail.text).toContain(phrase);
    for (const other of REPLY_TEMPLATES.filter((t) => t !== template)) {
      expect(mail.text).not.toContain(distinctive[other][0]);
    }
  });

  it('says the general mail was passed on to staff only when its topic has owners to forward to', async () => {
    const forwarded = textOf((await compose({ template: 'general', forwarded: true })).mail);
    expect(forwarded).toContain('Vi har sendt den videre til de medarbejdere, der skal behandle den.');
    expect(forwarded).toContain('We have forwarded it to the team that handles it.');

    const kept = textOf((await compose({ template: 'general', forwarded: false })).mail);
    expect(kept).toContain('Tak for din e-mail, som vi har modtaget og registreret.');
    expect(kept).toContain('Thank you for your e-mail, which we have received and registered.');
    expect(kept).not.toMatch(/videre|forwarded|medarbejdere|team/i);
  });

  it('acknowledges a request with its receipt and due dates first, then the Digital Post notice, then the extension', async () => {
    const { mail } = await compose({
      template: 'data-subject-request',
      gdpr: {
        ...ACCESS_REQUEST,
        receivedOn: '2026-03-31',
        dueOn: '2026-04-30',
        extensionNoticeBy: '2026-04-30',
      },
    });
    const text = textOf(mail);
    const [danish = '', english = ''] = text.split('-'.repeat(60));
    for (const [section, received, due, notice, extension] of [
      [
        danish,
        'Vi har modtaget din anmodning den 31. marts 2026',
        'vi besvarer den senest den 30. april 2026',
        NOT_BY_EMAIL.da,
        'besked om det og om årsagen senest den 30. april 2026',
      ],
      [
        english,
        'We received your request on 31 March 2026',
        'we will answer it no later than 30 April 2026',
        NOT_BY_EMAIL.en,
        'we will tell you, and why, no later than 30 April 2026',
      ],
    ] as const) {
      const at = [received, due, notice, extension].map((phrase) => section.indexOf(phrase));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
    expect(text).toContain('forlænges med op til to måneder mere');
    expect(text).toContain('extended by up to two further months');
    expect(mail.html).toContain('senest den 30. april 2026');
    expect(mail.html).toContain('no later than 30 April 2026');
  });

  it('still acknowledges a data subject request whose deadlines are missing', async () => {
    const { mail } = await compose({ template: 'data-subject-request', gdpr: null });
    expect(mail.text).toContain('Vi har modtaget din anmodning.');
    expect(mail.text).toContain('senest en måned efter, at vi modtog den');
    expect(mail.text).toContain('no later than one month after we received it');
    expect(mail.text).not.toMatch(/undefined|NaN/);
  });

  it('says in both languages that the mail held a CPR number only when it did, never repeating it', async () => {
    const withWarning = await compose({ cprWarning: true });
    const without = await compose({ cprWarning: false });
    const danish = 'Din e-mail ser ud til at indeholde et CPR-nummer.';
    const english = 'Your e-mail appears to contain a CPR number';
    for (const phrase of [
      danish,
      english,
      'Næste gang du sender os personoplysninger',
      'The next time you send us personal data',
    ]) {
      expect(withWarning.mail.text).toContain(phrase);
      expect(withWarning.mail.html).toContain(phrase);
    }
    expect(without.mail.text).not.toContain(danish);
    expect(without.mail.text).not.toContain(english);
    const text = textOf(withWarning.mail);
    expect(text.indexOf(danish)).toBeLessThan(text.indexOf(english));
  });

  it('echoes nothing of the incoming mail but its subject', async () => {
    const { mail } = await compose({ subject: 'Unik-emne-7Q2' });
    expect(mail.text).not.toContain('Unik-emne-7Q2');
    expect(mail.html).not.toContain('Unik-emne-7Q2');
  });
});

describe('the HTML alternative, parsed', () => {
  async function parsedHtml(overrides: Partial<ReplyJob> = {}) {
    const { mail } = await compose(overrides);
    return { mail, document: parseDocument(htmlOf(mail)) };
  }
  const byTag = (root: Parameters<typeof DomUtils.findAll>[1], tag: string) =>
    DomUtils.findAll((element) => element.name === tag, root);
  const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

  it('is a Danish document with one section per language, each with its own heading, Danish first', async () => {
    const { document } = await parsedHtml();
    const [html] = byTag(document.children, 'html');
    expect(html?.attribs.lang).toBe('da');
    expect(byTag(document.children, 'meta').some((meta) => meta.attribs.charset === 'utf-8')).toBe(true);
    const sections = DomUtils.findAll(
      (element) => element.name === 'div' && 'lang' in element.attribs,
      document.children,
    );
    expect(sections.map((section) => section.attribs.lang)).toEqual(['da', 'en']);
    expect(
      sections.map((section) => byTag(section.children, 'h1').map((h) => DomUtils.textContent(h))),
    ).toEqual([
      ['Automatisk svar fra Statens Serum Institut'],
      ['Automatic reply from Statens Serum Institut'],
    ]);
    // The pointer comes before both sections, and is marked as English.
    const pointer = byTag(document.children, 'p')[0];
    expect(pointer?.attribs.lang).toBe('en');
    expect(DomUtils.textContent(pointer ?? [])).toBe('English version below.');
  });

  it('sets a readable font and size on the body', async () => {
    const { document } = await parsedHtml();
    const style = byTag(document.children, 'body')[0]?.attribs.style ?? '';
    expect(style).toMatch(/font-family:[^;]*sans-serif/);
    expect(style).toMatch(/font-size:16px/);
    expect(style).toMatch(/line-height:1\.5/);
  });

  it.each(REPLY_TEMPLATES)(
    '%s links, in each language, to borger.dk, mit.dk, e-Boks and SSI, and nowhere else',
    async (template) => {
      const { document } = await parsedHtml(jobFor(template));
      const sections = DomUtils.findAll(
        (element) => element.name === 'div' && 'lang' in element.attribs,
        document.children,
      );
      for (const section of sections) {
        const links = byTag(section.children, 'a');
        const hrefs = links.map((a) => a.attribs.href ?? '');
        for (const href of hrefs) {
          const url = new URL(href);
          expect(url.protocol).toBe('https:');
          expect(LINK_HOSTS).toContain(url.host);
        }
        expect(hrefs).toEqual(
          expect.arrayContaining(['https://www.borger.dk/', 'https://mit.dk/', 'https://www.e-boks.com/']),
        );
        expect(hrefs.some((href) => new URL(href).host.endsWith('ssi.dk'))).toBe(true);
        // A link's text names the site it goes to.
        for (const a of links) {
          const host = new URL(a.attribs.href ?? '').host.replace(/^www\./, '');
          expect(host.toLowerCase()).toContain(
            DomUtils.textContent(a)
              .toLowerCase()
              .replace(/^www\./, ''),
          );
        }
      }
    },
  );

  it.each(REPLY_TEMPLATES)('%s says in HTML exactly what the text alternative says', async (template) => {
    const { mail, document } = await parsedHtml(jobFor(template, { cprWarning: true }));
    const sections = DomUtils.findAll(
      (element) => element.name === 'div' && 'lang' in element.attribs,
      document.children,
    );
    const [danish = '', english = ''] = textOf(mail).split('-'.repeat(60));
    expect(normalised(DomUtils.textContent(sections[0] ?? []))).toBe(
      normalised(danish.replace(/^English version below\./, '').replace(/=+/g, '')),
    );
    expect(normalised(DomUtils.textContent(sections[1] ?? []))).toBe(normalised(english.replace(/=+/g, '')));
  });
});

describe('reply texts', () => {
  it('has a template for every reply template id', () => {
    for (const template of REPLY_TEMPLATES) expect(REPLY_TEXTS[template].template).toBe(template);
  });

  it('renders text and HTML from the same blocks', () => {
    for (const template of REPLY_TEMPLATES) {
      const facts = { gdpr: ACCESS_REQUEST, cprWarning: true, reference: REFERENCE, forwarded: true };
      const blocks = REPLY_TEXTS[template].blocks(facts);
      const rendered = REPLY_TEXTS[template].render(facts);
      for (const language of ['da', 'en'] as const) {
        expect(rendered[language].text).toBe(blocks[language].map(blockText).join('\n\n'));
        expect(rendered[language].html.match(/<p /g)).toHaveLength(blocks[language].length);
      }
    }
  });

  it('escapes markup in the HTML alternative, in text, links and emphasis', () => {
    const { text, html } = renderBlocks([
      ['<script>alert("x")</script> & \'q\''],
      ['a\nb ', { text: '<i>', href: 'https://x.example/?a=1&b="2"' }, ' ', { strong: '<b>' }],
    ]);
    expect(html).toBe(
      '<p style="margin:0 0 1em">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>\n' +
        '<p style="margin:0 0 1em">a<br>\nb <a href="https://x.example/?a=1&amp;b=&quot;2&quot;">&lt;i&gt;</a> <strong>&lt;b&gt;</strong></p>',
    );
    expect(text).toBe('<script>alert("x")</script> & \'q\'\n\na\nb <i> <b>');
  });

  it('formats dates for people in Danish and English', () => {
    expect(formatDate('2026-04-05', 'da')).toBe('5. april 2026');
    expect(formatDate('2026-04-05', 'en')).toBe('5 April 2026');
    expect(formatDate('2027-12-31', 'da')).toBe('31. december 2027');
    expect(() => formatDate('05-04-2026', 'da')).toThrow(RangeError);
    expect(() => formatDate('2026-13-01', 'en')).toThrow(RangeError);
  });
});
