// Danish public holidays (helligdage), the days on which a period under Regulation
// 1182/71 art. 3(4) cannot end. Days many offices close on without being public holidays
// (Grundlovsdag, 24 and 31 December) are configuration, not listed here (DOMAIN.md).

/** The last year Store bededag was a public holiday; the Folketing abolished it from 2024. */
const LAST_YEAR_WITH_STORE_BEDEDAG = 2023;

/** Days relative to Easter Sunday, in the order of the church year. */
const EASTER_OFFSETS = [
  -3, // Skærtorsdag
  -2, // Langfredag
  0, // Påskedag
  1, // 2. påskedag
  39, // Kristi himmelfartsdag
  49, // Pinsedag
  50, // 2. pinsedag
] as const;
const STORE_BEDEDAG_OFFSET = 26;

const FIXED_HOLIDAYS = ['01-01', '12-25', '12-26'] as const; // Nytårsdag, Juledag, 2. juledag

function assertGregorianYear(year: number): void {
  // The computus below is the Gregorian one; before 1583 it gives no date anyone observed.
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`expected a Gregorian year 1583–9999, got ${year}`);
  }
}

function isoFromUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Easter Sunday as YYYY-MM-DD, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  assertGregorianYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoFromUtc(new Date(Date.UTC(year, month - 1, day)));
}

/** The public holidays of a year as YYYY-MM-DD dates; a fresh set the caller may keep. */
export function danishPublicHolidays(year: number): Set<string> {
  const easter = new Date(`${easterSunday(year)}T00:00:00Z`);
  const offsets: number[] = [...EASTER_OFFSETS];
  if (year <= LAST_YEAR_WITH_STORE_BEDEDAG) offsets.push(STORE_BEDEDAG_OFFSET);

  const holidays = new Set<string>(FIXED_HOLIDAYS.map((monthDay) => `${year}-${monthDay}`));
  for (const offset of offsets) {
    const day = new Date(easter.getTime());
    day.setUTCDate(day.getUTCDate() + offset);
    holidays.add(isoFromUtc(day));
  }
  return holidays;
}

// Each year's set is computed once and shared by everything that counts working days.
const holidaysByYear = new Map<number, ReadonlySet<string>>();

/** The public holidays of a year, computed once per year; read-only. */
export function publicHolidaysOf(year: number): ReadonlySet<string> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = danishPublicHolidays(year);
    holidaysByYear.set(year, holidays);
  }
  return holidays;
}
