// The terminal view of the local pipeline: the functions' structured JSON logs, one short
// line per event, and EMF metric lines hidden. The logs carry no personal data, so
// neither does this view.

import { captureOutput, lineKind } from './output-capture.js';

/** `SSI-DB-2026-4K7QM-2XP9C`. */
const REFERENCE_WIDTH = 23;

interface LogLine {
  level?: string;
  message?: string;
  service?: string;
  sesMessageId?: string;
  /** The case reference (case-reference.ts): what a citizen quotes and an owner files by. */
  reference?: string;
  topic?: string;
  replyDecision?: string;
  replyReason?: string;
  forwarded?: boolean;
  reason?: string;
  template?: string;
  owners?: number;
  attachments?: number;
  parseErrors?: number;
  gdprRight?: string | null;
  dueOn?: string | null;
  errorName?: string;
}

export function formatLogLine(line: string): string | null {
  const kind = lineKind(line);
  if (kind === 'other') return line;
  if (kind === 'metric') return null;
  const entry = JSON.parse(line) as LogLine;
  const time = new Date().toTimeString().slice(0, 8);
  // The SES id (for replay) and the case reference (what the citizen and the owner see).
  const id = `${(entry.sesMessageId ?? '').slice(0, 12).padEnd(12)} ${(entry.reference ?? '').padEnd(REFERENCE_WIDTH)}`;
  switch (entry.message) {
    case 'mail routed': {
      const gdpr = entry.gdprRight ? ` gdpr=${entry.gdprRight} due ${entry.dueOn}` : '';
      const errors = entry.parseErrors ? ` parse-errors=${entry.parseErrors}` : '';
      return `${time} ${id} routed   ${String(entry.topic).padEnd(20)} reply=${entry.replyDecision}(${entry.replyReason}) forward=${entry.forwarded ? 'yes' : 'no'}${gdpr}${errors}`;
    }
    case 'reply sent':
      return `${time} ${id} replied  ${String(entry.template).padEnd(20)} sent`;
    case 'reply suppressed':
      return `${time} ${id} replied  ${''.padEnd(20)} suppressed(${entry.reason})`;
    case 'mail forwarded':
      return `${time} ${id} forwarded to ${entry.owners} owner(s)`;
    default:
      if (entry.level === 'ERROR' || entry.level === 'WARN') {
        return `${time} ${id} ${entry.service ?? ''} ${entry.level}: ${entry.message ?? ''}${entry.errorName ? ` (${entry.errorName})` : ''}`;
      }
      return null;
  }
}

/** Routes every JSON log line written to stdout through `formatLogLine`; returns an undo. */
export function installLiveLog(print?: (line: string) => void): () => void {
  const show = print ?? ((line: string) => capture.passOn('stdout', `${line}\n`));
  const capture = captureOutput(
    (line) => {
      const shown = formatLogLine(line);
      if (shown !== null) show(shown);
    },
    ['stdout'],
  );
  return () => capture.restore();
}
