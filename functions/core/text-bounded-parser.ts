import { MailParser, type MailParserOptions } from 'mailparser';

// mailparser streams attachments but keeps every inline text part (text/plain, text/html,
// message/delivery-status) whole in memory, and then copies it several times (decoded,
// joined, converted): a 40 MB HTML body took intake past 1 GB. No option bounds that, so
// this parser drops a text part's body bytes once the mail's text budget is spent.
//
// It hooks mailparser's `processChunk`, which receives the body of each part as its
// MIME splitter (mailsplit) cut it, after the structure has been read: the cut follows the
// parser's own view of the parts, so no second MIME reader can disagree with it, and
// boundaries, headers and attachments pass untouched. `processChunk` is not part of the
// published types; `hooked` says whether this mailparser still has it (a test checks).

/** The two internals used: the body chunk handler and the part it belongs to. */
interface ParserInternals {
  processChunk(data: unknown, done: (error?: Error | null) => void): void;
  curnode?: { decoder?: unknown; isAttachment?: boolean } | false;
}

const base = MailParser.prototype as unknown as Partial<ParserInternals>;
const baseProcessChunk = typeof base.processChunk === 'function' ? base.processChunk : null;

export class TextBoundedParser extends MailParser {
  /** Encoded body bytes of inline text parts still to pass, all parts together. */
  private textBytesLeft: number;
  /** Set when some text was dropped. */
  textCut = false;
  /** False when this mailparser has no `processChunk` to hook: text is then not bounded while parsing. */
  static readonly hooked = baseProcessChunk !== null;

  constructor(options: MailParserOptions, maxTextBytes: number) {
    super(options);
    this.textBytesLeft = maxTextBytes;
  }

  processChunk(data: unknown, done: (error?: Error | null) => void): void {
    // Without the base handler mailparser does not call this one either.
    if (!baseProcessChunk) {
      done();
      return;
    }
    const node = (this as unknown as ParserInternals).curnode;
    const chunk = data as { type?: unknown; value?: unknown };
    if (
      chunk?.type === 'body' &&
      node &&
      node.decoder &&
      !node.isAttachment &&
      Buffer.isBuffer(chunk.value)
    ) {
      const value = chunk.value;
      if (value.length > this.textBytesLeft) {
        this.textCut = true;
        const kept = value.subarray(0, this.textBytesLeft);
        this.textBytesLeft = 0;
        if (kept.length === 0) {
          setImmediate(done);
          return;
        }
        baseProcessChunk.call(this, { ...chunk, value: kept }, done);
        return;
      }
      this.textBytesLeft -= value.length;
    }
    baseProcessChunk.call(this, data, done);
  }
}
