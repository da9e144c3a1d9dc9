import { readFileSync } from 'node:fs';
import { composeReply } from '../functions/core/compose-reply.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { triage } from '../functions/core/triage.js';
import { largeMailStream } from './large-mail.js';

// Runs in a fresh process (bundled like a function, started by bench/memory.ts): triages
// one generated mail of the size given and prints the process's peak RSS as JSON.

export interface LargeMailResult {
  totalBytes: number;
  attachmentBytes: number;
  rssAfterLoadBytes: number;
  maxRssBytes: number;
  vmHwmBytes: number | null;
  elapsedMs: number;
  /** The attachment's size and sha256 matched what was generated, and nothing failed to parse. */
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
if (!Number.isInteger(size) || size <= 0) throw new Error('usage: large-mail-child <bytes>');

const rssAfterLoadBytes = process.memoryUsage().rss;
const mail = largeMailStream(size);
const receivedAt = new Date('2026-11-25T09:00:00Z');
const started = performance.now();
const { record, replyJob } = await triage(
  mail.stream,
  { sesMessageId: 'bench-large-mail', receivedAt },
  DEFAULT_CONFIG,
);
if (replyJob) await composeReply(replyJob, DEFAULT_CONFIG, receivedAt);
const elapsedMs = performance.now() - started;

const attachment = record.attachments[0];
const result: LargeMailResult = {
  totalBytes: mail.totalBytes,
  attachmentBytes: mail.attachmentBytes,
  rssAfterLoadBytes,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  vmHwmBytes: vmHwmBytes(),
  elapsedMs,
  verified:
    record.parseErrors.length === 0 &&
    record.attachments.length === 1 &&
    attachment?.size === mail.attachmentBytes &&
    attachment.sha256 === mail.sha256(),
  parseErrors: record.parseErrors,
  reply: record.autoReply.decision,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
