import type { Bilingual, Language } from './reply-texts.js';

// Dates written out for people, in the replies and in the forwards to staff.

const MONTHS: Bilingual<readonly string[]> = {
  da: [
    'januar',
    'februar',
    'marts',
    'april',
    'maj',
    'juni',
    'juli',
    'august',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/**
 * An ISO calendar date (YYYY-MM-DD) for people: "5. april 2026" in Danish, "5 April 2026"
 * in English. Written out here rather than via Intl so the wording does not depend on the
 * ICU data a runtime happens to ship.
 */
export function formatDate(isoDate: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = match ? MONTHS[language][Number(match[2]) - 1] : undefined;
  if (!match || !month) throw new RangeError('expected a calendar date as YYYY-MM-DD');
  const day = Number(match[3]);
  return language === 'da' ? `${day}. ${month} ${match[1]}` : `${day} ${month} ${match[1]}`;
}

// Danish short month names as Danish style guides and CLDR write them: "4. jan. 2027".
const DANISH_SHORT_MONTHS = [
  'jan.',
  'feb.',
  'mar.',
  'apr.',
  'maj',
  'jun.',
  'jul.',
  'aug.',
  'sep.',
  'okt.',
  'nov.',
  'dec.',
] as const;

/** An ISO calendar date, short, in Danish: "4. jan. 2027" (a forward's subject line). */
export function formatShortDanishDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = match ? DANISH_SHORT_MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) throw new RangeError('expected a calendar date as YYYY-MM-DD');
  return `${Number(match[3])}. ${month} ${match[1]}`;
}

/**
 * An instant as local time in `timeZone`, in Danish: "5. marts 2026 kl. 10.15". Only the
 * time-zone rules come from the runtime (Intl, numeric parts); the words are ours.
 */
export function formatDanishDateTime(instant: Date, timeZone: string): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('expected a valid instant');
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const date = formatDate(`${part('year')}-${part('month')}-${part('day')}`, 'da');
  return `${date} kl. ${part('hour')}.${part('minute')}`;
}
