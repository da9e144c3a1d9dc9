import { readFileSync } from 'node:fs';
import { composeReply } from '../functions/core/compose-reply.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { maxTextPartBytes } from '../functions/core/parse.js';
import { triage } from '../functions/core/triage.js';
import { largeHtmlMailStream, largeMailStream } from './large-mail.js';

// Runs in a fresh process (bundled like a function, started by bench/memory.ts): triages
// one generated mail of the size and kind given and prints the process's peak RSS as JSON.

/** `attachment`: the bulk is one base64 attachment; `html`: the bulk is the HTML body. */
export type LargeMailKind = 'attachment' | 'html';

export interface LargeMailResult {
  kind: LargeMailKind;
  totalBytes: number;
  /** The attachment's decoded size, or the HTML body's size. */
  attachmentBytes: number;
  rssAfterLoadBytes: number;
  maxRssBytes: number;
  vmHwmBytes: number | null;
  elapsedMs: number;
  /**
   * Attachment: its size and sha256 matched what was generated, and nothing failed to parse.
   * HTML: the body was cut at the text bound (recorded) and its start kept, nothing else failed.
   */
  verified: boolean;
  parseErrors: string[];
  reply: string;
}

function vmHwmBytes(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const size = Number(process.argv[2]);
const kind = (process.argv[3] ?? 'attachment') as LargeMailKind;
if (!Number.isInteger(size) || size <= 0 || (kind !== 'attachment' && kind !== 'html'))
  throw new Error('usage: large-mail-child <bytes> [attachment|html]');

const rssAfterLoadBytes = process.memoryUsage().rss;
const mail = kind === 'html' ? largeHtmlMailStream(size) : largeMailStream(size);
const receivedAt = new Date('2026-11-25T09:00:00Z');
const started = performance.now();
const { record, replyJob } = await triage(
  mail.stream,
  { sesMessageId: 'bench-large-mail', receivedAt },
  DEFAULT_CONFIG,
);
if (replyJob) await composeReply(replyJob, DEFAULT_CONFIG, receivedAt);
const elapsedMs = performance.now() - started;

function verify(): boolean {
  if ('sha256' in mail) {
    const attachment = record.attachments[0];
    return (
      record.parseErrors.length === 0 &&
      record.attachments.length === 1 &&
      attachment?.size === mail.attachmentBytes &&
      attachment.sha256 === mail.sha256()
    );
  }
  // Past the bound the body is cut (and says so); below it, it is read whole.
  const cut = record.parseErrors.some((error) => error.startsWith('text-parts-cut'));
  const expected = mail.htmlBytes > maxTextPartBytes(DEFAULT_CONFIG.limits);
  // Above 1 MB html-to-text is skipped and the tag stripper reads the body instead.
  const expectedErrors = ['text-parts-cut', 'text-truncated', 'html-conversion-failed'];
  const others = record.parseErrors.filter((error) => !expectedErrors.some((id) => error.startsWith(id)));
  return cut === expected && others.length === 0 && record.textPreview.startsWith('Hej. Jeg skriver igen');
}

const result: LargeMailResult = {
  kind,
  totalBytes: mail.totalBytes,
  attachmentBytes: 'sha256' in mail ? mail.attachmentBytes : mail.htmlBytes,
  rssAfterLoadBytes,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  vmHwmBytes: vmHwmBytes(),
  elapsedMs,
  verified: verify(),
  parseErrors: record.parseErrors,
  reply: record.autoReply.decision,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
