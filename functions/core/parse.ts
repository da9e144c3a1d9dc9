import { Readable, Transform, type TransformCallback } from 'node:stream';
import {
  type AddressObject,
  type EmailAddress,
  type HeaderLines,
  type Headers,
  MailParser,
  type StructuredHeader,
} from 'mailparser';
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

/**
 * Parses a mail with mailparser, streaming: attachments are hashed and sized as they pass
 * and never held whole. Never throws: whatever goes wrong is recorded in `parseErrors`,
 * so a malformed mail still reaches a queue instead of being lost.
 */
export async function parseMail(
  source: Readable | Buffer | string,
  limits: ParseLimits,
): Promise<ParsedMail> {
  const parseErrors: string[] = [];
  const input =
    typeof source === 'string' || Buffer.isBuffer(source) ? Readable.from([toBuffer(source)]) : source;
  const limiter = new ByteLimiter(limits.maxMailBytes);
  const parser = new MailParser({
    checksumAlgo: 'sha256',
    skipImageLinks: true,
    // The deployed bundles leave out mailparser's link finder on the strength of these two
    // (infra/stubs/linkify-it.ts): turning them on needs that stub removed too.
    skipTextToHtml: true,
    skipTextLinks: true,
    // html-to-text on a huge HTML body is the slowest step; beyond this we keep raw-ish text.
    maxHtmlLengthToParse: Math.max(limits.maxTextChars * 4, 1_000_000),
  });

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
    parser.on('data', (data) => {
      if (data.type === 'text') {
        if (data.textConversionError) parseErrors.push('html-conversion-failed');
        text = data.text ?? '';
        htmlText = typeof data.html === 'string' && !data.text ? data.html : '';
        return;
      }
      const attachment = data;
      attachment.content.on('error', () => parseErrors.push('attachment-decode-failed'));
      attachment.content.on('end', () => {
        attachments.push({
          filename: attachment.filename ?? null,
          contentType: attachment.contentType,
          size: attachment.size ?? 0,
          sha256: attachment.checksum ?? '',
        });
        attachment.release?.();
      });
      attachment.content.resume();
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
  if (limiter.seen === 0) parseErrors.push('empty-input');

  const headers: Headers = parser.headers || new Map();
  const headerLines: HeaderLines = parser.headerLines || [];
  if (limiter.seen > 0 && headerLines.length === 0) parseErrors.push('no-headers');

  let body = text || (htmlText ? stripTags(htmlText) : '');
  if (body.length > limits.maxTextChars) {
    body = body.slice(0, limits.maxTextChars);
    parseErrors.push(`text-truncated: at ${limits.maxTextChars} characters`);
  }

  const from = firstAddress(parser.from);
  if (!from) parseErrors.push('from-missing-or-invalid');

  return {
    headers,
    headerLines,
    from,
    replyTo: firstAddress(parser.replyTo)?.address ?? null,
    to: addresses(parser.to),
    cc: addresses(parser.cc),
    subject: cleanSubject(parser.subject ?? ''),
    messageId: parser.messageId ?? null,
    inReplyTo: parser.inReplyTo ?? null,
    references: messageIds(parser.references),
    date: parser.date && !Number.isNaN(parser.date.getTime()) ? parser.date : null,
    text: body,
    contentType: rootContentType(headers),
    attachments,
    sizeBytes: limiter.seen,
    parseErrors,
  };
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

function flatten(list: EmailAddress[]): EmailAddress[] {
  return list.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
}

function addressList(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  if (!value) return [];
  return flatten((Array.isArray(value) ? value : [value]).flatMap((object) => object.value));
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  return addressList(value)
    .map((entry) => entry.address?.trim() ?? '')
    .filter((address) => address.includes('@'));
}

function firstAddress(value: AddressObject | undefined): { address: string; name: string } | null {
  const entry = addressList(value).find((candidate) => candidate.address?.includes('@'));
  if (!entry?.address) return null;
  return { address: entry.address.trim(), name: cleanSubject(entry.name ?? '') };
}

function messageIds(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).filter((id) => /^<[^<>\s]+>$/.test(id));
}

/** Decoded header text may still hold control characters; they have no place in a subject. */
function cleanSubject(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function rootContentType(headers: Headers): { value: string; params: Record<string, string> } {
  const header = headers.get('content-type');
  if (header && typeof header === 'object' && 'value' in header && 'params' in header) {
    const structured = header as StructuredHeader;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(structured.params ?? {}))
      params[key.toLowerCase()] = String(value);
    return { value: String(structured.value).toLowerCase(), params };
  }
  return { value: 'text/plain', params: {} };
}

function stripTags(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
