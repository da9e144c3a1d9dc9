import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { HeaderLines, Headers } from 'mailparser';
import { TextBoundedParser } from './text-bounded-parser.js';
import type { AttachmentFact } from './types.js';

/** What the core needs from a parsed mail; bodies bounded, attachments reduced to facts. */
export interface ParsedMail {
  headers: Headers;
  headerLines: HeaderLines;
  from: { address: string; name: string } | null;
  replyTo: string | null;
  to: string[];
  cc: string[];
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  date: Date | null;
  /** Plain text (from text/plain, else converted from HTML), at most `maxTextChars`. */
  text: string;
  /** The root Content-Type value and its parameters, lower-cased. */
  contentType: { value: string; params: Record<string, string> };
  attachments: AttachmentFact[];
  sizeBytes: number;
  parseErrors: string[];
}

export interface ParseLimits {
  maxMailBytes: number;
  maxTextChars: number;
}

const MIB = 1024 * 1024;

/**
 * How many encoded body bytes of text and HTML parts (all together) are parsed: a few MB,
 * at least twice the configured text length. Text beyond the configured length is cut
 * anyway; this bound keeps memory flat in body size, as it is in attachment size.
 */
export function maxTextPartBytes(limits: ParseLimits): number {
  return Math.max(4 * MIB, limits.maxTextChars * 2);
}

/**
 * Parses a mail with mailparser, streaming: attachments are hashed and sized as they pass
 * and never held whole; text and HTML parts are kept to `maxTextPartBytes`. Never throws:
 * whatever goes wrong is recorded in `parseErrors`, so a malformed mail still reaches a
 * queue instead of being lost.
 *
 * Everything mailparser hands over is treated as untrusted, its types included: hostile
 * MIME makes it return `false` for a content type, arrays for single headers, objects
 * where strings are expected. Each value is checked here, once, so the rest of the core
 * can rely on `ParsedMail`'s types.
 */
export async function parseMail(
  source: Readable | Buffer | string,
  limits: ParseLimits,
): Promise<ParsedMail> {
  const parseErrors: string[] = [];
  const input =
    typeof source === 'string' || Buffer.isBuffer(source) ? Readable.from([toBuffer(source)]) : source;
  const limiter = new ByteLimiter(limits.maxMailBytes);
  const parser = new TextBoundedParser(
    {
      checksumAlgo: 'sha256',
      skipImageLinks: true,
      // The deployed bundles leave out mailparser's link finder on the strength of these two
      // (infra/stubs/linkify-it.ts): turning them on needs that stub removed too.
      skipTextToHtml: true,
      skipTextLinks: true,
      // html-to-text on a huge HTML body is the slowest step; beyond this we keep raw-ish text.
      maxHtmlLengthToParse: Math.max(limits.maxTextChars * 4, 1_000_000),
    },
    maxTextPartBytes(limits),
  );

  const attachments: AttachmentFact[] = [];
  let text = '';
  let htmlText = '';

  const done = new Promise<void>((resolve) => {
    let settled = false;
    const finish = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    const fail = (code: string) => (error: unknown) => {
      parseErrors.push(`${code}: ${describe(error)}`);
      input.unpipe?.(limiter);
      limiter.unpipe(parser);
      finish();
    };
    input.on('error', fail('read-failed'));
    limiter.on('error', fail('read-failed'));
    parser.on('error', fail('mime-invalid'));
    parser.on('data', (data: unknown) => {
      if (!isRecord(data)) return;
      if (data.type === 'text') {
        if (data.textConversionError) parseErrors.push('html-conversion-failed');
        text = asString(data.text) ?? '';
        htmlText = !text ? (asString(data.html) ?? '') : '';
        return;
      }
      if (data.type === 'attachment') readAttachment(data, attachments, parseErrors);
    });
    parser.on('end', finish);
    parser.on('close', finish);
  });

  input.pipe(limiter).pipe(parser);
  await done;
  if (limiter.cut) {
    parseErrors.push(`size-limit-exceeded: mail cut at ${limits.maxMailBytes} bytes`);
    if (typeof (input as Readable).destroy === 'function') (input as Readable).destroy();
  }
  if (parser.textCut)
    parseErrors.push(`text-parts-cut: text and HTML bodies cut after ${maxTextPartBytes(limits)} bytes`);
  if (limiter.seen === 0) parseErrors.push('empty-input');

  const headers: Headers = parser.headers instanceof Map ? parser.headers : new Map();
  const headerLines = validHeaderLines(parser.headerLines);
  if (limiter.seen > 0 && headerLines.length === 0) parseErrors.push('no-headers');

  let body = text || (htmlText ? stripTags(htmlText, limits.maxTextChars) : '');
  if (body.length > limits.maxTextChars) {
    body = body.slice(0, limits.maxTextChars);
    parseErrors.push(`text-truncated: at ${limits.maxTextChars} characters`);
  }

  const from = firstAddress(parser.from);
  if (!from) parseErrors.push('from-missing-or-invalid');
  const date: unknown = parser.date;

  return {
    headers,
    headerLines,
    from,
    replyTo: firstAddress(parser.replyTo)?.address ?? null,
    to: addresses(parser.to),
    cc: addresses(parser.cc),
    subject: cleanSubject(firstString(parser.subject) ?? ''),
    messageId: messageIdValue(parser.messageId),
    inReplyTo: messageIdValue(parser.inReplyTo),
    references: messageIds(parser.references),
    date: date instanceof Date && isPlausibleMailDate(date) ? date : null,
    text: body,
    contentType: rootContentType(headers),
    attachments,
    sizeBytes: limiter.seen,
    parseErrors,
  };
}

// A date a mail header may name and the core can count from: 1970 to 9000. `Date:` and
// `Received:` are the sender's to write; year 10000 or 275760 parses, but breaks ISO 8601
// (`+010000-…`) and the deadline arithmetic after it.
const EARLIEST_MAIL_DATE = Date.UTC(1970, 0, 1);
const LATEST_MAIL_DATE = Date.UTC(9000, 0, 1);

export function isPlausibleMailDate(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST_MAIL_DATE && time < LATEST_MAIL_DATE;
}

/** Passes at most `limit` bytes on and then ends the stream, so memory stays bounded. */
class ByteLimiter extends Transform {
  seen = 0;
  cut = false;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.cut) {
      callback();
      return;
    }
    const room = this.limit - this.seen;
    if (chunk.length > room) {
      this.cut = true;
      this.seen += room;
      this.push(chunk.subarray(0, room));
      this.push(null);
      callback();
      return;
    }
    this.seen += chunk.length;
    callback(null, chunk);
  }
}

function toBuffer(source: string | Buffer): Buffer {
  return typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
}

function describe(error: unknown): string {
  // Parser messages describe structure, not content; keep them short all the same.
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 120);
}

/** An attachment's facts, read as its content streams past; the content is not kept. */
function readAttachment(data: Record<string, unknown>, attachments: AttachmentFact[], parseErrors: string[]) {
  const release = () => {
    if (typeof data.release === 'function') data.release();
  };
  const fact = (): AttachmentFact => {
    const size = data.size;
    const contentType = asString(data.contentType)?.trim().toLowerCase();
    return {
      filename: cleanText(asString(data.filename)) || null,
      // `Content-Type: ; name="x.jpg"` leaves mailparser with `false` here.
      contentType: contentType || 'application/octet-stream',
      size: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : 0,
      sha256: asString(data.checksum) ?? '',
    };
  };
  const content = data.content;
  if (!(content instanceof Readable)) {
    parseErrors.push('attachment-unreadable');
    attachments.push(fact());
    release();
    return;
  }
  content.on('error', () => parseErrors.push('attachment-decode-failed'));
  content.on('end', () => {
    attachments.push(fact());
    release();
  });
  content.resume();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A header given more than once may come back as an array; the first usable value counts. */
function firstString(value: unknown): string | null {
  if (Array.isArray(value)) return value.map(asString).find((entry) => entry !== null) ?? null;
  return asString(value);
}

function validHeaderLines(value: unknown): HeaderLines {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is { key: string; line: string } =>
      isRecord(entry) && typeof entry.key === 'string' && typeof entry.line === 'string',
  );
}

interface Mailbox {
  name: string;
  address: string;
}

/** Mailboxes of an address header, groups flattened; anything not shaped like one is skipped. */
function mailboxes(value: unknown, depth = 0): Mailbox[] {
  if (depth > 4) return [];
  const entries = Array.isArray(value) ? value : [value];
  return entries.flatMap((entry): Mailbox[] => {
    if (!isRecord(entry)) return [];
    // An AddressObject holds its list in `value`; an EmailAddress is a mailbox or a group.
    if ('value' in entry && !('address' in entry)) return mailboxes(entry.value, depth + 1);
    if (Array.isArray(entry.group)) return mailboxes(entry.group, depth + 1);
    const address = asString(entry.address)?.trim() ?? '';
    return address.includes('@') ? [{ name: cleanText(asString(entry.name)), address }] : [];
  });
}

function addresses(value: unknown): string[] {
  return mailboxes(value).map((mailbox) => mailbox.address);
}

function firstAddress(value: unknown): Mailbox | null {
  return mailboxes(value)[0] ?? null;
}

function messageIdValue(value: unknown): string | null {
  return cleanText(firstString(value)) || null;
}

function messageIds(value: unknown): string[] {
  const values = (Array.isArray(value) ? value : [value]).map(asString).filter((id) => id !== null);
  return values.flatMap((entry) => entry.split(/\s+/)).filter((id) => /^<[^<>\s]+>$/.test(id));
}

/** Decoded header text may still hold control characters; they have no place in a subject. */
function cleanSubject(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function cleanText(value: string | null): string {
  return value === null ? '' : cleanSubject(value);
}

function rootContentType(headers: Headers): { value: string; params: Record<string, string> } {
  const header: unknown = headers.get('content-type');
  const structured = Array.isArray(header) ? header[0] : header;
  if (isRecord(structured) && typeof structured.value === 'string' && structured.value.trim()) {
    const params: Record<string, string> = {};
    if (isRecord(structured.params) && !Array.isArray(structured.params)) {
      for (const [key, value] of Object.entries(structured.params))
        if (typeof value === 'string') params[key.toLowerCase()] = value;
    }
    return { value: structured.value.trim().toLowerCase(), params };
  }
  return { value: 'text/plain', params: {} };
}

const RAW_TEXT_ELEMENT = /<\/?(script|style)\b/iy;

/**
 * Tags out, script and style content out, whitespace folded; stops once `limit` characters
 * of text are out (the rest would be cut anyway). A scan with indexOf rather than regular
 * expressions over the whole body: patterns like `<[^>]+>` backtrack quadratically on
 * hostile input (thousands of `<` and no `>`).
 */
function stripTags(html: string, limit: number): string {
  const out: string[] = [];
  let length = 0;
  let spaceLast = true;
  // Whitespace is folded as the text is made, so `length` is the text's length: stopping
  // past limit + 2 (a space trimmed at each end) still leaves more than `limit`, and the
  // caller records the cut.
  const emit = (piece: string) => {
    let folded = piece.replace(/\s+/g, ' ');
    if (spaceLast && folded.startsWith(' ')) folded = folded.slice(1);
    if (!folded) return;
    out.push(folded);
    length += folded.length;
    spaceLast = folded.endsWith(' ');
  };
  let at = 0;
  while (at < html.length && length <= limit + 2) {
    const open = html.indexOf('<', at);
    if (open === -1) {
      emit(html.slice(at));
      break;
    }
    emit(html.slice(at, open));
    emit(' ');
    const close = html.indexOf('>', open + 1);
    if (close === -1) {
      // No tag after all: the rest is text.
      emit(html.slice(open));
      break;
    }
    at = close + 1;
    RAW_TEXT_ELEMENT.lastIndex = open;
    const element = RAW_TEXT_ELEMENT.exec(html)?.[1];
    if (element && html[open + 1] !== '/') at = endOfRawText(html, element, at);
  }
  return out.join('').trim();
}

/** Where a script or style element's content ends: after its end tag, else at the end. */
function endOfRawText(html: string, element: string, from: number): number {
  const end = new RegExp(`</${element}`, 'ig');
  end.lastIndex = from;
  const match = end.exec(html);
  if (!match) return html.length;
  const close = html.indexOf('>', match.index);
  return close === -1 ? html.length : close + 1;
}
