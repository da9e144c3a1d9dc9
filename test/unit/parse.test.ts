import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCprNumbers } from '../../functions/core/cpr.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { parseMail } from '../../functions/core/parse.js';
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
