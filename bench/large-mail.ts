import { createHash, randomFillSync } from 'node:crypto';
import { Readable } from 'node:stream';

// A large mail made on the fly, never written to disk: a short citizen's request whose
// bulk is one base64 attachment of random bytes (incompressible, like a scanned PDF).

const BOUNDARY = 'bench-large-mail-boundary';
const RAW_BYTES_PER_LINE = 57; // 57 bytes → 76 base64 characters, the MIME line length
const LINE_BYTES = 76 + 2; // with CRLF
const LINES_PER_CHUNK = 1024; // ~78 KiB chunks, about what an S3 body stream delivers

const HEAD = [
  'From: Bench Borger <bench.borger@gmail.com>',
  'To: ssidatabeskyttelse@ssi.dk',
  'Subject: Anmodning om indsigt - scannede bilag',
  'Date: Wed, 25 Nov 2026 10:00:00 +0100',
  'Message-ID: <large-mail@bench.example>',
  'MIME-Version: 1.0',
  `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
  '',
  `--${BOUNDARY}`,
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Hej. Jeg anmoder om indsigt i de personoplysninger, I behandler om mig (artikel 15).',
  'Mine papirer er vedhæftet som en scannet fil.',
  '',
  `--${BOUNDARY}`,
  'Content-Type: application/pdf; name="scannede-papirer.pdf"',
  'Content-Disposition: attachment; filename="scannede-papirer.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  '',
].join('\r\n');
const TAIL = `--${BOUNDARY}--\r\n`;

export interface LargeMail {
  stream: Readable;
  /** The whole message, as it would be stored in S3. */
  totalBytes: number;
  /** The attachment's decoded size. */
  attachmentBytes: number;
  /** The attachment's sha256 (hex), known once the stream has been read to its end. */
  sha256: () => string | null;
}

/** A mail of at most `totalBytes` (it ends on a whole base64 line), produced as it is read. */
export function largeMailStream(totalBytes: number): LargeMail {
  const head = Buffer.from(HEAD, 'utf8');
  const tail = Buffer.from(TAIL, 'utf8');
  const lines = Math.floor((totalBytes - head.length - tail.length) / LINE_BYTES);
  if (lines < 1) throw new Error(`a mail of ${totalBytes} bytes has no room for an attachment`);
  const hash = createHash('sha256');
  let digest: string | null = null;

  async function* generate(): AsyncGenerator<Buffer> {
    yield head;
    for (let left = lines; left > 0; ) {
      const count = Math.min(LINES_PER_CHUNK, left);
      const raw = randomFillSync(Buffer.allocUnsafe(count * RAW_BYTES_PER_LINE));
      hash.update(raw);
      const encoded = raw.toString('base64');
      const chunk = Buffer.allocUnsafe(count * LINE_BYTES);
      for (let line = 0; line < count; line++) {
        const at = line * LINE_BYTES;
        chunk.write(encoded.slice(line * 76, line * 76 + 76), at, 'latin1');
        chunk[at + 76] = 0x0d;
        chunk[at + 77] = 0x0a;
      }
      yield chunk;
      left -= count;
    }
    digest = hash.digest('hex');
    yield tail;
  }

  return {
    stream: Readable.from(generate(), { objectMode: false }),
    totalBytes: head.length + lines * LINE_BYTES + tail.length,
    attachmentBytes: lines * RAW_BYTES_PER_LINE,
    sha256: () => digest,
  };
}

// The same size of mail, all of it one HTML body: a newsletter or a pasted document. Parsers
// keep text parts whole in memory (mailparser did, to 1 GB for 40 MB); triage keeps the
// first few MiB of text and records the cut, so memory should not grow with the body.
const HTML_HEAD = [
  'From: Bench Borger <bench.borger@gmail.com>',
  'To: ssidatabeskyttelse@ssi.dk',
  'Subject: Mit spørgsmål, med hele korrespondancen indsat',
  'Date: Wed, 25 Nov 2026 10:00:00 +0100',
  'Message-ID: <large-html-mail@bench.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  '<!DOCTYPE html><html><body>',
  '',
].join('\r\n');
const HTML_TAIL = '</body></html>\r\n';
const HTML_PARAGRAPH =
  '<p>Hej. Jeg skriver igen om min sag, og her er <b>hele</b> vores korrespondance indsat, ' +
  'med <a href="https://example.dk/sag">et link</a> og <i>kursiv</i> tekst, æøå.</p>\r\n';

export interface LargeHtmlMail {
  stream: Readable;
  totalBytes: number;
  /** The HTML body's size in bytes. */
  htmlBytes: number;
}

/** A mail of at most `totalBytes` whose body is one HTML part, produced as it is read. */
export function largeHtmlMailStream(totalBytes: number): LargeHtmlMail {
  const head = Buffer.from(HTML_HEAD, 'utf8');
  const tail = Buffer.from(HTML_TAIL, 'utf8');
  const paragraph = Buffer.from(HTML_PARAGRAPH, 'utf8');
  const block = Buffer.concat(Array.from({ length: 512 }, () => paragraph)); // ~100 KiB chunks
  const paragraphs = Math.floor((totalBytes - head.length - tail.length) / paragraph.length);
  if (paragraphs < 1) throw new Error(`a mail of ${totalBytes} bytes has no room for a body`);

  async function* generate(): AsyncGenerator<Buffer> {
    yield head;
    for (let left = paragraphs; left > 0; left -= 512) {
      yield left >= 512 ? block : block.subarray(0, left * paragraph.length);
    }
    yield tail;
  }

  const total = head.length + paragraphs * paragraph.length + tail.length;
  const headerBytes = Buffer.byteLength(HTML_HEAD.slice(0, HTML_HEAD.indexOf('<!DOCTYPE')), 'utf8');
  return {
    stream: Readable.from(generate(), { objectMode: false }),
    totalBytes: total,
    htmlBytes: total - headerBytes,
  };
}
