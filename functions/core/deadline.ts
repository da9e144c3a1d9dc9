import { publicHolidaysOf } from './danish-holidays.js';
import type { Deadlines } from './types.js';

// GDPR art. 12(3) periods, counted per Regulation (EEC, Euratom) No 1182/71. All dates
// are calendar dates (YYYY-MM-DD); arithmetic on them is done in UTC so that no host time
// zone or daylight-saving shift can move a date.

export interface DeadlineCalendar {
  /** The zone whose calendar date is the day of receipt (Europe/Copenhagen, DOMAIN.md). */
  timeZone: string;
  /** Days the office is closed without being public holidays (24 Dec, 31 Dec, 5 June…). */
  extraClosingDays: readonly string[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? Number.NaN);
}

function parseIsoDate(isoDate: string): CalendarDate {
  const match = ISO_DATE.exec(isoDate);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  // Before 1583 there is no Gregorian Easter, hence no holiday calendar to count with.
  if (!match || year < 1583 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(
      `expected a calendar date 1583-01-01 or later as YYYY-MM-DD, got ${JSON.stringify(isoDate)}`,
    );
  }
  return { year, month, day };
}

function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toUtcMs({ year, month, day }: CalendarDate): number {
  return Date.UTC(year, month - 1, day);
}

function fromUtcMs(ms: number): CalendarDate {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

// Building a DateTimeFormat costs far more than formatting with one; this runs per mail.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('expected a valid Date');
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return formatIsoDate({ year: part('year'), month: part('month'), day: part('day') });
}

/**
 * The date `months` months on: the same day of the month, or the month's last day when
 * that day does not exist there (Regulation 1182/71 art. 3(2)(c): 31 Jan + 1 → 28/29 Feb).
 */
export function addMonths(isoDate: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`expected whole months, got ${months}`);
  const { year, month, day } = parseIsoDate(isoDate);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  return formatIsoDate({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

function isWorkingDay(date: CalendarDate, iso: string, closed: ReadonlySet<string>): boolean {
  const weekday = new Date(toUtcMs(date)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidaysOf(date.year).has(iso) && !closed.has(iso);
}

function nextWorkingDayIn(isoDate: string, closed: ReadonlySet<string>): string {
  let date = parseIsoDate(isoDate);
  let iso = formatIsoDate(date);
  // Terminates: `closed` is finite, and public holidays never fill a whole week.
  while (!isWorkingDay(date, iso, closed)) {
    date = fromUtcMs(toUtcMs(date) + MS_PER_DAY);
    iso = formatIsoDate(date);
  }
  return iso;
}

/**
 * The date itself when it is a working day, else the next one: a period whose last day is
 * a Saturday, Sunday or public holiday ends with the following working day (Regulation
 * 1182/71 art. 3(4)).
 */
export function nextWorkingDay(isoDate: string, extraClosingDays: readonly string[]): string {
  return nextWorkingDayIn(isoDate, new Set(extraClosingDays));
}

/**
 * The GDPR art. 12(3) dates for a request received at `receivedAt`: an answer within one
 * month, extendable by two further months, and notice of any extension within the first.
 * The day of receipt is not counted (1182/71 art. 3(1)), which adding whole months to the
 * receipt date already respects: received 5 March → due 5 April (EDPB).
 */
export function computeDeadlines(receivedAt: Date, calendar: DeadlineCalendar): Deadlines {
  const receivedOn = localDate(receivedAt, calendar.timeZone);
  const closed = new Set(calendar.extraClosingDays);
  const dueOn = nextWorkingDayIn(addMonths(receivedOn, 1), closed);
  const extendedDueOn = nextWorkingDayIn(addMonths(receivedOn, 3), closed);
  return { receivedOn, dueOn, extendedDueOn, extensionNoticeBy: dueOn };
}
