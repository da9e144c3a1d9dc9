import type { HeaderLines } from 'mailparser';
import { firstHeader } from './headers.js';
import { isPlausibleMailDate } from './parse.js';

/**
 * When a stored mail was received, from the mail itself: the date of the topmost
 * `Received:` header (added last, by our receiving host; RFC 5321 §4.4), else `Date:`.
 * Null when neither holds a usable date.
 */
export function receiptTimeFromHeaders(headerLines: HeaderLines, date: Date | null): Date | null {
  const value = firstHeader(headerLines, 'received');
  if (value !== null) {
    const stamp = value.slice(value.lastIndexOf(';') + 1).trim();
    const parsed = value.includes(';') ? new Date(stamp.replace(/\s*\([^)]*\)\s*$/, '')) : null;
    if (parsed && isPlausibleMailDate(parsed)) return parsed;
  }
  return date;
}
