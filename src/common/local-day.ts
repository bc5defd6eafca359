import { DateTime } from 'luxon';

/**
 * Calendar days in the service's zone (TZ_SERVICE): what a person in Bogotá calls "today",
 * whatever zone the server itself runs in.
 */

/** The calendar date (`YYYY-MM-DD`) of an instant in the service's zone. */
export function localDate(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant).setZone(timeZone).toISODate() as string;
}

/** The first instant of a calendar date in the service's zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate();
}
