import type { Case } from './cases.js';
import type { Confidence, GdprRight } from './types.js';
import { isWorkingDay, workingDaysUntil } from './working-days.js';

// What the owners' morning digest says, given the cases and today (Europe/Copenhagen).
// Each case appears once, under its most urgent heading:
//   1. overdue: the due date has passed and the case is not closed;
//   2. extension notice due: an open case whose notice date (Art. 12(3): within one month)
//      is within the window: answer, or tell the data subject and `extend`, by then;
//   3. due soon: any other case due within the window (an extended case nearing its
//      extended date, an open one whose notice date has passed).
// Closed cases are never listed. Nothing to list means no digest at all.

export interface DigestSettings {
  /** Cases due within this many working days are listed (today counts as 0). */
  dueSoonWorkingDays: number;
  extraClosingDays: readonly string[];
}

export interface DigestLine {
  reference: string;
  right: GdprRight;
  dueOn: string;
  /** Working days left to `dueOn`; negative when overdue (working days past it). */
  workingDaysLeft: number;
  confidence: Confidence;
  extended: boolean;
  /** For the extension-notice section: the last day to notify the data subject. */
  extensionNoticeBy?: string;
}

export interface Digest {
  today: string;
  overdue: DigestLine[];
  extensionNoticeDue: DigestLine[];
  dueSoon: DigestLine[];
}

/** The digest goes out on working days only: not on weekends, public holidays or closing days. */
export function isDigestDay(today: string, extraClosingDays: readonly string[]): boolean {
  return isWorkingDay(today, extraClosingDays);
}

/** The digest for `today`, or null when there is nothing to say. */
export function buildDigest(cases: readonly Case[], today: string, settings: DigestSettings): Digest | null {
  const digest: Digest = { today, overdue: [], extensionNoticeDue: [], dueSoon: [] };
  const { dueSoonWorkingDays: window, extraClosingDays } = settings;
  for (const item of cases) {
    if (item.status === 'closed') continue;
    const line: DigestLine = {
      reference: item.reference,
      right: item.right,
      dueOn: item.dueOn,
      workingDaysLeft: workingDaysUntil(today, item.dueOn, extraClosingDays),
      confidence: item.confidence,
      extended: item.status === 'extended',
    };
    if (item.dueOn < today) {
      // Past the due date is at least one day late, also on a closed day (a forced run).
      digest.overdue.push({ ...line, workingDaysLeft: Math.min(-1, line.workingDaysLeft) });
    } else if (
      item.status === 'open' &&
      item.extensionNoticeBy >= today &&
      workingDaysUntil(today, item.extensionNoticeBy, extraClosingDays) <= window
    ) {
      digest.extensionNoticeDue.push({ ...line, extensionNoticeBy: item.extensionNoticeBy });
    } else if (line.workingDaysLeft <= window) {
      digest.dueSoon.push(line);
    }
  }
  const byUrgency = (a: DigestLine, b: DigestLine) =>
    a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference);
  digest.overdue.sort(byUrgency);
  digest.extensionNoticeDue.sort(byUrgency);
  digest.dueSoon.sort(byUrgency);
  const count = digest.overdue.length + digest.extensionNoticeDue.length + digest.dueSoon.length;
  return count > 0 ? digest : null;
}

/** The cases that are not closed, and of them those past their due date: the register's gauges. */
export function caseCounts(cases: readonly Case[], today: string): { open: number; overdue: number } {
  const active = cases.filter((item) => item.status !== 'closed');
  return { open: active.length, overdue: active.filter((item) => item.dueOn < today).length };
}
