import ical, {
  ICalAlarmType,
  ICalCalendarMethod,
  ICalEventBusyStatus,
  ICalEventTransparency,
} from 'ical-generator';
import { CALENDAR_DESCRIPTIONS, type CalendarDeadline, calendarSummary } from '../templates/forward.js';
import type { Confidence, GdprFacts } from './types.js';

// A request's deadlines as an iCalendar file (RFC 5545) an owner adds to Outlook or any
// calendar with one click: an all-day event per deadline, each with a reminder. It holds
// the case reference, the right and the dates, nothing about the person: no name, address
// or subject, since calendars are shared, synced and shown on lock screens.

/** RFC 5545 §3.7.2 METHOD:PUBLISH: entries to add, not an invitation to answer (RFC 5546 §3.2.1). */
export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8; method=PUBLISH';

/** 09:00 five days before the (all-day, local) deadline: a working week to act. */
const REMINDER_SECONDS_BEFORE = (5 * 24 - 9) * 3600;
const DAY_MS = 86_400_000;

export interface DeadlineCalendarInput {
  reference: string;
  gdpr: GdprFacts;
  confidence: Confidence;
  /** The domain the entries' UIDs are made under (ours), so a second forward updates, not duplicates. */
  uidDomain: string;
}

export interface CalendarFile {
  /** Named by the reference alone. */
  filename: string;
  content: string;
}

export function deadlineCalendar(input: DeadlineCalendarInput, now: Date): CalendarFile {
  const { reference, gdpr, confidence, uidDomain } = input;
  const calendar = ical({
    name: reference,
    prodId: { company: 'Statens Serum Institut', product: 'mail-triage', language: 'DA' },
    method: ICalCalendarMethod.PUBLISH,
  });
  const deadlines: [CalendarDeadline, string][] = [
    ['due', gdpr.dueOn],
    ['extensionNotice', gdpr.extensionNoticeBy],
    ['extendedDue', gdpr.extendedDueOn],
  ];
  for (const [deadline, isoDate] of deadlines) {
    const start = calendarDay(isoDate);
    const summary = calendarSummary(reference, deadline, gdpr.right, gdpr.article, confidence === 'low');
    calendar.createEvent({
      id: `${reference}.${deadline}@${uidDomain}`,
      stamp: now,
      // Deadlines are calendar dates in Copenhagen (deadline.ts): DATE values with no time
      // zone (RFC 5545 §3.3.4), the same day wherever the owner's calendar is set.
      allDay: true,
      start,
      end: new Date(start.getTime() + DAY_MS),
      summary,
      description: CALENDAR_DESCRIPTIONS[deadline],
      // A deadline does not make the owner busy.
      transparency: ICalEventTransparency.TRANSPARENT,
      busystatus: ICalEventBusyStatus.FREE,
      alarms: [{ type: ICalAlarmType.display, trigger: REMINDER_SECONDS_BEFORE, description: summary }],
    });
  }
  return { filename: `${reference}.ics`, content: calendar.toString() };
}

/**
 * Midnight UTC of the date: ical-generator writes an all-day date without a time zone from
 * the UTC fields, so the day does not shift with the host's time zone or daylight saving.
 */
function calendarDay(isoDate: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError('expected a calendar date as YYYY-MM-DD');
  const day = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== isoDate)
    throw new RangeError('expected a calendar date that exists');
  return day;
}
