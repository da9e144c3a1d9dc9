import { publicHolidaysOf } from './danish-holidays.js';

// Working days in Denmark: Monday to Friday, except the public holidays (helligdage) and the
// configured extra closing days (grundlovsdag, juleaftensdag, …; DOMAIN.md). The digest
// goes out on working days only, and counts the days left to a deadline in them: a case
// due on the Tuesday after Easter is one working day away on Maundy Thursday's eve.
// Dates are calendar dates (YYYY-MM-DD); arithmetic on them is in UTC, so no host time
// zone or daylight-saving shift can move a date.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;
/** No real deadline is further than this from today; a guard against a corrupt date. */
const MAX_SPAN_DAYS = 3_660;

function toMs(isoDate: string): number {
  const ms = ISO_DATE.test(isoDate) ? Date.parse(`${isoDate}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`expected a calendar date as YYYY-MM-DD, got ${JSON.stringify(isoDate)}`);
  }
  return ms;
}

function fromMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether the office is open on this date: a weekday, no public holiday, no extra closing day. */
export function isWorkingDay(isoDate: string, extraClosingDays: readonly string[]): boolean {
  const ms = toMs(isoDate);
  const weekday = new Date(ms).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidaysOf(new Date(ms).getUTCFullYear()).has(isoDate) && !extraClosingDays.includes(isoDate);
}

/** The first working day after `isoDate`. */
export function nextWorkingDayAfter(isoDate: string, extraClosingDays: readonly string[]): string {
  let ms = toMs(isoDate);
  // Terminates: public holidays and a finite list of closing days never fill every day.
  do ms += MS_PER_DAY;
  while (!isWorkingDay(fromMs(ms), extraClosingDays));
  return fromMs(ms);
}

/**
 * Working days from `today` to `dueOn`: the working days after today up to and including
 * the due date (0 when it is due today, or when only closed days lie between); negative
 * when the due date has passed, counting the working days after it up to and including today.
 */
export function workingDaysUntil(today: string, dueOn: string, extraClosingDays: readonly string[]): number {
  const from = toMs(today);
  const to = toMs(dueOn);
  if (Math.abs(to - from) > MAX_SPAN_DAYS * MS_PER_DAY) {
    throw new RangeError(`${dueOn} is more than ${MAX_SPAN_DAYS} days from ${today}`);
  }
  const [start, end, sign] = to >= from ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let ms = start + MS_PER_DAY; ms <= end; ms += MS_PER_DAY) {
    if (isWorkingDay(fromMs(ms), extraClosingDays)) count++;
  }
  return sign * count;
}
