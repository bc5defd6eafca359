// @ts-check
// Dates and numbers as people in Bogotá read them (es-CO: day before month), in the service's
// time zone, whatever the zone of the computer showing the page.
import { settings } from './settings.js';

const LOCALE = 'es-CO';
const DAY_MS = 86_400_000;

/** @type {Map<string, Intl.DateTimeFormat>} */
const cache = new Map();

/** @param {Intl.DateTimeFormatOptions} options @param {string} [locale] */
function formatter(options, locale = LOCALE) {
  const zone = options.timeZone ?? settings().timeZone;
  const key = JSON.stringify([locale, { ...options, timeZone: zone }]);
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    cache.set(key, format);
  }
  return format;
}

export const number = new Intl.NumberFormat(LOCALE);
export const percent = new Intl.NumberFormat(LOCALE, {
  style: 'percent',
  maximumFractionDigits: 0,
});

/** An instant, e.g. "30 nov 2026, 2:05 p. m.". @param {string | Date} instant */
export function dateTime(instant) {
  return formatter({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
}

/** An instant without the year, for lists: "30 nov, 2:05 p. m.". @param {string | Date} instant */
export function shortDateTime(instant) {
  return formatter({ day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(
    new Date(instant),
  );
}

/** The calendar day of an instant in the service's zone, e.g. "30 nov 2026". @param {string | Date} instant */
export function dateOf(instant) {
  return formatter({ dateStyle: 'medium' }).format(new Date(instant));
}

/**
 * A calendar date (`YYYY-MM-DD`, already in the service's zone), e.g. "30 nov 2026".
 * @param {string} date
 * @param {Intl.DateTimeFormatOptions} [options]
 */
export function calendarDate(date, options = { dateStyle: 'medium' }) {
  return formatter({ ...options, timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** `YYYY-MM-DD` of an instant in the service's zone. @param {Date} [instant] */
export function isoDate(instant = new Date()) {
  return formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA').format(instant);
}

/** Today in the service's zone, moved by whole days. @param {number} [offsetDays] */
export function today(offsetDays = 0) {
  return isoDate(new Date(Date.now() + offsetDays * DAY_MS));
}

/** Whole days from now until an instant (negative once past). @param {string} instant */
export function daysLeft(instant) {
  return Math.ceil((new Date(instant).getTime() - Date.now()) / DAY_MS);
}

/**
 * The value of a `datetime-local` input for an instant, in the service's zone.
 * @param {Date} [instant]
 */
export function localDateTime(instant = new Date()) {
  const parts = Object.fromEntries(
    formatter(
      {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      },
      'en-CA',
    )
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The zone's offset at an instant, e.g. "-05:00". @param {Date} instant */
function offsetAt(instant) {
  const name =
    formatter({ timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

/**
 * An ISO 8601 instant with the zone's offset for a `datetime-local` value read as a wall-clock
 * time in the service's zone (not the computer's).
 * @param {string} local `YYYY-MM-DDTHH:mm`
 */
export function instantFromLocal(local) {
  // The offset at that wall time, found from the offset at the same numbers read as UTC: one
  // correction settles it except within the hour a clock change skips.
  const guess = new Date(`${local}:00Z`);
  let offset = offsetAt(guess);
  offset = offsetAt(new Date(`${local}:00${offset}`));
  return `${local}:00${offset}`;
}

/**
 * Age on a day, in years, or in months under two: "7 años", "8 meses".
 * @param {string | null} birthDate `YYYY-MM-DD`
 * @param {string} [on] `YYYY-MM-DD`, today in the service's zone by default
 */
export function age(birthDate, on = today()) {
  if (!birthDate) {
    return '—';
  }
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = on.split('-').map(Number);
  const months = (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0);
  if (months < 24) {
    return months === 1 ? '1 mes' : `${Math.max(0, months)} meses`;
  }
  const years = Math.floor(months / 12);
  return `${years} años`;
}
