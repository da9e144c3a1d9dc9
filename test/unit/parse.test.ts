import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCprNumbers } from '../../functions/core/cpr.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { maxTextPartBytes, parseMail } from '../../functions/core/parse.js';
import { TextBoundedParser } from '../../functions/core/text-bounded-parser.js';
import { triage } from '../../functions/core/triage.js';
import { FIXTURES_DIR, fixture } from '../support/fixtures.js';

const limits = DEFAULT_CONFIG.limits;
const context = { sesMessageId: 'prop', receivedAt: new Date('2026-11-25T10:00:00Z') };
const fixtureNames = readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.eml'));

/** A mail with one base64 attachment of `size` bytes, produced as a stream, never whole. */
function mailWithAttachment(size: number): Readable {
  const head = [
    'From: Anna <anna@gmail.com>',
    'To: ssidatabeskyttelse@ssi.dk',
    'Subject: Scanning',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Se vedhæftede.',
    '--b',
    'Content-Type: application/pdf; name="scan.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const line = `${Buffer.alloc(57, 0x41).toString('base64')}\r\n`; // 57 bytes → one 76-char line
  const lines = Math.ceil(size / 57);
  async function* generate() {
    yield Buffer.from(head);
    const block = Buffer.from(line.repeat(1000));
    let left = lines;
    while (left > 0) {
      const n = Math.min(left, 1000);
      yield n === 1000 ? block : Buffer.from(line.repeat(n));
      left -= n;
    }
    yield Buffer.from('--b--\r\n');
  }
  return Readable.from(generate());
}

/** A mail whose HTML body is `htmlBytes` long, then a small PDF attachment; produced as a stream. */
function mailWithHtmlBody(htmlBytes: number, attachment: Buffer): Readable {
  const head = [
    'From: Anna <anna@gmail.com>',
    'To: ssidatabeskyttelse@ssi.dk',
    'Subject: Nyhedsbrev',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body>',
  ].join('\r\n');
  const block = Buffer.from('<p>Hej fra <b>Anna</b>, her er et langt brev uden ende.</p>\r\n'.repeat(1000));
  const tail = [
    '</body></html>',
    '--b',
    'Content-Type: application/pdf; name="bilag.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    attachment.toString('base64'),
    '--b--',
    '',
  ].join('\r\n');
  async function* generate() {
    yield Buffer.from(head);
    for (let sent = 0; sent < htmlBytes; sent += block.length) yield block;
    yield Buffer.from(tail);
  }
  return Readable.from(generate());
}

describe('parseMail', () => {
  it('hashes and sizes a 28 MB attachment (38 MB encoded, under SES’s 40 MB) as it streams', async () => {
    const mail = await parseMail(mailWithAttachment(28 * 1024 * 1024), limits);
    expect(mail.parseErrors).toEqual([]);
    expect(mail.text.trim()).toBe('Se vedhæftede.');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.size).toBe(Math.ceil((28 * 1024 * 1024) / 57) * 57);
    expect(mail.attachments[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records a 30 MB attachment past the 40 MB limit as a parse error and keeps the headers', async () => {
    const mail = await parseMail(mailWithAttachment(30 * 1024 * 1024), limits);
    expect(mail.parseErrors).toEqual([`size-limit-exceeded: mail cut at ${40 * 1024 * 1024} bytes`]);
    expect(mail.subject).toBe('Scanning');
  });

  it('cuts a mail over the size limit, records it and still returns what it read', async () => {
    const mail = await parseMail(mailWithAttachment(200_000), { ...limits, maxMailBytes: 100_000 });
    expect(mail.parseErrors).toContain('size-limit-exceeded: mail cut at 100000 bytes');
    expect(mail.sizeBytes).toBe(100_000);
    expect(mail.from?.address).toBe('anna@gmail.com');
  });

  it('truncates long text to the configured length', async () => {
    const long = `From: a@gmail.com\r\nSubject: x\r\n\r\n${'ord '.repeat(5_000)}`;
    const mail = await parseMail(Buffer.from(long), { ...limits, maxTextChars: 1_000 });
    expect(mail.text).toHaveLength(1_000);
    expect(mail.parseErrors).toContain('text-truncated: at 1000 characters');
  });

  it('keeps a 40 MB HTML body to its first 4 MiB while parsing, records the cut, and still reads what follows', async () => {
    expect(TextBoundedParser.hooked).toBe(true);
    const pdf = Buffer.from('%PDF-1.4 bilag');
    const mail = await parseMail(mailWithHtmlBody(40 * 1000 * 1000, pdf), limits);
    expect(mail.parseErrors).toContain(
      `text-parts-cut: text and HTML bodies cut after ${maxTextPartBytes(limits)} bytes`,
    );
    expect(mail.text.startsWith('Hej fra Anna , her er et langt brev uden ende.')).toBe(true);
    expect(mail.text).toHaveLength(limits.maxTextChars);
    expect(mail.parseErrors).toContain(`text-truncated: at ${limits.maxTextChars} characters`);
    expect(mail.attachments).toEqual([
      {
        filename: 'bilag.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      },
    ]);
  });

  it('leaves a text body under the bound whole', async () => {
    const mail = await parseMail(mailWithHtmlBody(100_000, Buffer.from('x')), limits);
    expect(mail.parseErrors.some((error) => error.startsWith('text-parts-cut'))).toBe(false);
  });

  it('reads an attachment with an empty Content-Type as application/octet-stream', async () => {
    const mail = await parseMail(fixture('attachment-empty-content-type.eml'), limits);
    expect(mail.attachments).toEqual([
      expect.objectContaining({ filename: 'x.jpg', contentType: 'application/octet-stream', size: 5 }),
    ]);
  });

  it('strips 1.2 MB of unclosed tags in linear time', { timeout: 10_000 }, async () => {
    // `<[^>]+>` over this backtracks quadratically: over a minute for one mail.
    const raw = `From: a@gmail.com\r\nContent-Type: text/html\r\n\r\n<p>hej</p>${'<'.repeat(1_200_000)}`;
    const mail = await parseMail(Buffer.from(raw), limits);
    expect(mail.text.startsWith('hej <<<')).toBe(true);
  });

  it('records empty input instead of failing', async () => {
    const mail = await parseMail(Buffer.alloc(0), limits);
    expect(mail.parseErrors).toEqual(['empty-input', 'from-missing-or-invalid']);
  });

  it('records a failing source stream instead of throwing', async () => {
    const broken = new Readable({
      read() {
        this.push('From: a@gmail.com\r\nSubject: half');
        this.destroy(new Error('connection reset'));
      },
    });
    const mail = await parseMail(broken, limits);
    expect(mail.parseErrors.some((error) => error.startsWith('read-failed'))).toBe(true);
  });

  it('reads group addresses and several To headers', async () => {
    const raw =
      'From: A <a@gmail.com>\r\nTo: Team: x@example.com, y@example.com;\r\nTo: z@example.com\r\n\r\nhej';
    const mail = await parseMail(Buffer.from(raw), limits);
    expect(mail.to).toEqual(['x@example.com', 'y@example.com', 'z@example.com']);
  });

  it('parses every sample mail without an exception', async () => {
    for (const name of fixtureNames) {
      const mail = await parseMail(fixture(name), limits);
      expect(mail.headerLines.length, name).toBeGreaterThan(0);
    }
  });
});

describe('parse and triage never throw (property)', () => {
  it('for arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        const { record } = await triage(Buffer.from(bytes), context, DEFAULT_CONFIG);
        expect(record.sesMessageId).toBe('prop');
      }),
      { numRuns: 150 },
    );
  });

  it('for sample mails cut, spliced and corrupted at random places', async () => {
    const samples = fixtureNames.map((name) => fixture(name));
    await fc.assert(
      fc.asyncProperty(
        fc.nat(samples.length - 1),
        fc.array(
          fc.record({
            at: fc.double({ min: 0, max: 1, noNaN: true }),
            bytes: fc.uint8Array({ maxLength: 16 }),
          }),
          { maxLength: 6 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (index, edits, cut) => {
          let mail = samples[index] ?? Buffer.alloc(0);
          for (const edit of edits) {
            const at = Math.floor(edit.at * mail.length);
            mail = Buffer.concat([
              mail.subarray(0, at),
              Buffer.from(edit.bytes),
              mail.subarray(at + edit.bytes.length),
            ]);
          }
          mail = mail.subarray(0, Math.max(1, Math.floor(cut * mail.length * 1.2)));
          const { record } = await triage(mail, context, DEFAULT_CONFIG);
          expect(typeof record.topic).toBe('string');
          expect(findCprNumbers(record.textPreview)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
