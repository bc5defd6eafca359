import { DateTime } from 'luxon';

export interface StayTermSettings {
  zone: string;
  termMonths: number;
  maxExtensionMonths: number;
}

export interface StayTerms {
  termEndsAt: Date;
  maxEndsAt: Date;
}

/**
 * The stay's clock: calendar months counted in TZ_SERVICE, so that "4 months" means the same
 * wall-clock day and hour in Bogotá whatever the server's own zone; luxon clamps the end of a
 * month (31 Oct + 4 months = 28 or 29 Feb).
 */
export function stayTerms(admittedAt: Date, settings: StayTermSettings): StayTerms {
  const local = DateTime.fromJSDate(admittedAt).setZone(settings.zone);
  return {
    termEndsAt: local.plus({ months: settings.termMonths }).toJSDate(),
    maxEndsAt: local.plus({ months: settings.termMonths + settings.maxExtensionMonths }).toJSDate(),
  };
}

/**
 * An extension's new end: the date asked for, at the admission's local time of day, so that
 * the term keeps ending at the hour the family arrived.
 */
export function atAdmissionTimeOfDay(date: string, admittedAt: Date, timeZone: string): Date {
  const admitted = DateTime.fromJSDate(admittedAt).setZone(timeZone);
  return DateTime.fromISO(date, { zone: timeZone })
    .set({
      hour: admitted.hour,
      minute: admitted.minute,
      second: admitted.second,
      millisecond: admitted.millisecond,
    })
    .toJSDate();
}
