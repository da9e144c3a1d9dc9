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
