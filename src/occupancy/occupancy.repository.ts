import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runPrepared, statement } from '../database/prepared';
import { localDate } from '../common/local-day';

export interface HouseOccupancy {
  houseId: string;
  code: string;
  capacity: number;
  occupied: number;
  /** Beds kept by a live transport hold: neither occupied nor free. */
  held: number;
  free: number;
  outOfService: number;
  termEndingWithin14Days: number;
  overdueStays: number;
}

interface Row {
  house_id: string;
  code: string;
  in_service: number;
  occupied: number;
  held: number;
  out_of_service: number;
  term_ending: number;
  overdue: number;
}

export interface ForecastDay {
  date: string;
  occupied: number;
  free: number;
  termEnding: number;
  maxEnding: number;
}

export interface OccupancyDay {
  date: string;
  occupied: number;
  capacity: number;
}

/**
 * The advisory lock between fills of `occupancy_days` (exclusive) and corrections of the ledger
 * (shared, taken by the occupancy-days migration's triggers, which hold the same number).
 */
export const OCCUPANCY_DAYS_LOCK = 7_263_001;

/** The scope of `occupancy_days` rows that sum every house. */
const NETWORK_SCOPE = '00000000-0000-0000-0000-000000000000';

/**
 * A day is stored once it ended this long ago. Writes at the present never reach it, and a
 * correction further back than a day takes the lock (see the occupancy_days migration): the
 * day in between keeps the two apart whatever the clocks of the processes.
 */
const STORE_AFTER_MS = 2 * 24 * 3600 * 1000;

const STORED_DAYS = statement(
  'occupancy-stored-days',
  `SELECT day AS date, occupied, capacity FROM occupancy_days
   WHERE scope = $1 AND time_zone = $2 AND day BETWEEN $3 AND $4
   ORDER BY day`,
);

/**
 * The intervals of the ledger overlapping the span (of one house when $4 is given). For a span
 * that ends at the present: the open ones and those closed after its start, two short
 * partial-index scans (the range index took 260 ms to find the same 32,000 of 2.35 million at
 * national scale, these 30 ms). For any other span: the range index.
 */
const HELD_RECENTLY = `upper_inf(o.during) AND lower(o.during) <= upper(span.r)
           AND ($4::uuid IS NULL OR o.house_id = $4)
         UNION ALL
         SELECT CASE WHEN lower(o.during) < lower(span.r) - interval '1 day' THEN $1::date
                     ELSE (lower(o.during) AT TIME ZONE $3)::date END,
                (upper(o.during) AT TIME ZONE $3)::date
         FROM stay_occupants o, span
         WHERE NOT upper_inf(o.during) AND upper(o.during) > lower(span.r)
           AND lower(o.during) <= upper(span.r) AND ($4::uuid IS NULL OR o.house_id = $4)
           AND o.stay_id IS NOT NULL`;
// A transport hold's rows (stay_id null) keep beds, not people: no bed-night counts them.
const HELD_ANY_TIME = `o.during && span.r AND ($4::uuid IS NULL OR o.house_id = $4)
           AND o.stay_id IS NOT NULL`;

/** Spans starting this many days before the last stored day still count through HELD_RECENTLY. */
const RECENT_DAYS = 7;

/** The last day that may be stored at `now`: it ended at least STORE_AFTER_MS ago. */
export function lastStorableDay(now: Date, timeZone: string): string {
  return addDays(localDate(new Date(now.getTime() - STORE_AFTER_MS), timeZone), -1);
}

const DAY_MS = 24 * 3600 * 1000;

/** `YYYY-MM-DD` plus n calendar days. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The span from the first to the last day of [from, to] that `stored` (in date order) lacks, or
 * null when none is missing.
 */
export function missingSpan(
  stored: { date: string }[],
  from: string,
  to: string,
): { from: string; to: string } | null {
  let first: string | null = null;
  let last: string | null = null;
  let i = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (i < stored.length && stored[i].date === day) {
      i++;
    } else {
      first ??= day;
      last = day;
    }
  }
  return first === null || last === null ? null : { from: first, to: last };
}

// Two statements instead of one with `$1 IS NULL OR …`, so that each has the right plan cached.
const CURRENT_HOUSE = statement(
  'occupancy-current-house',
  `SELECT h.id AS house_id, h.code,
          coalesce(r.in_service, 0) AS in_service, coalesce(r.occupied, 0) AS occupied,
          (SELECT count(*) FROM beds b WHERE b.house_id = h.id AND NOT b.in_service)::int AS out_of_service,
          (SELECT count(*) FROM stay_occupants o
            WHERE o.house_id = h.id AND o.hold_id IS NOT NULL AND upper(o.during) > $2)::int AS held,
          (SELECT count(*) FROM stays s
            WHERE s.house_id = h.id AND s.status = 'active'
              AND s.term_ends_at >= $2 AND s.term_ends_at < $2 + interval '14 days')::int AS term_ending,
          (SELECT count(*) FROM stays s
            WHERE s.house_id = h.id AND s.status = 'active' AND s.term_ends_at < $2)::int AS overdue
   FROM houses h
   LEFT JOIN (SELECT sum(beds_in_service)::int AS in_service, sum(beds_held)::int AS occupied
              FROM rooms WHERE house_id = $1) r ON true
   WHERE h.id = $1`,
);

const CURRENT_NETWORK = statement(
  'occupancy-current-network',
  `WITH room_counts AS (
     SELECT r.house_id, sum(r.beds_in_service)::int AS in_service, sum(r.beds_held)::int AS occupied
     FROM rooms r
     GROUP BY r.house_id
   ), out_of_service AS (
     SELECT b.house_id, count(*)::int AS out_of_service
     FROM beds b
     WHERE NOT b.in_service
     GROUP BY b.house_id
   ), held AS (
     SELECT o.house_id, count(*)::int AS held
     FROM stay_occupants o
     WHERE o.hold_id IS NOT NULL AND upper(o.during) > $1
     GROUP BY o.house_id
   ), terms AS (
     SELECT s.house_id,
            count(*) FILTER (WHERE s.term_ends_at >= $1 AND s.term_ends_at < $1 + interval '14 days')::int AS term_ending,
            count(*) FILTER (WHERE s.term_ends_at < $1)::int AS overdue
     FROM stays s
     WHERE s.status = 'active' AND s.term_ends_at < $1 + interval '14 days'
     GROUP BY s.house_id
   )
   SELECT h.id AS house_id, h.code,
          coalesce(rc.in_service, 0) AS in_service,
          coalesce(rc.occupied, 0) AS occupied,
          coalesce(o.out_of_service, 0) AS out_of_service,
          coalesce(hd.held, 0) AS held,
          coalesce(t.term_ending, 0) AS term_ending,
          coalesce(t.overdue, 0) AS overdue
   FROM houses h
   LEFT JOIN room_counts rc ON rc.house_id = h.id
   LEFT JOIN out_of_service o ON o.house_id = h.id
   LEFT JOIN held hd ON hd.house_id = h.id
   LEFT JOIN terms t ON t.house_id = h.id
   ORDER BY h.code`,
);

@Injectable()
export class OccupancyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Occupancy now, per house: a bed in service is occupied when an open interval of the ledger
   * holds it, as each room counts (the room-counts migration keeps the counters with the
   * ledger), and held while a transport hold's interval has not ended (counted from the
   * ledger: a counter could not expire on time by itself). Stays whose term ends in the next 14 days, and those already past it, come from the
   * stays themselves.
   */
  async current(houseId: string | null, now: Date): Promise<HouseOccupancy[]> {
    const rows =
      houseId === null
        ? await runPrepared<Row>(this.dataSource, CURRENT_NETWORK, [now])
        : await runPrepared<Row>(this.dataSource, CURRENT_HOUSE, [houseId, now]);
    return rows.map((r) => ({
      houseId: r.house_id,
      code: r.code,
      capacity: r.in_service,
      occupied: r.occupied,
      held: r.held,
      free: r.in_service - r.occupied - r.held,
      outOfService: r.out_of_service,
      termEndingWithin14Days: r.term_ending,
      overdueStays: r.overdue,
    }));
  }

  /**
   * Bed-nights per calendar day of TZ_SERVICE (see `countDays`). Days that ended more than two
   * days ago come from `occupancy_days` when stored there, and are computed and stored once
   * when not; the last days, which admissions and egresses still change, are always counted
   * from the ledger. The migration that made the table explains how corrections in the past
   * keep the stored days true.
   */
  async history(
    from: string,
    to: string,
    houseId: string | null,
    timeZone: string,
    now: Date,
  ): Promise<OccupancyDay[]> {
    const scope = houseId ?? NETWORK_SCOPE;
    const lastStored = lastStorableDay(now, timeZone);
    const days: OccupancyDay[] = [];
    if (from <= lastStored) {
      const storedTo = to < lastStored ? to : lastStored;
      const stored = await runPrepared<OccupancyDay>(this.dataSource, STORED_DAYS, [
        scope,
        timeZone,
        from,
        storedTo,
      ]);
      const missing = missingSpan(stored, from, storedTo);
      if (missing) {
        // Usually the day or two that closed since the last request: count only the span that
        // holds every missing day, and keep the stored days around it.
        const counted = await this.storeDays(
          missing,
          houseId,
          scope,
          timeZone,
          missing.from >= addDays(lastStored, -RECENT_DAYS),
        );
        days.push(
          ...stored.filter((d) => d.date < missing.from),
          ...counted,
          ...stored.filter((d) => d.date > missing.to),
        );
      } else {
        days.push(...stored);
      }
    }
    const liveFrom = from > lastStored ? from : addDays(lastStored, 1);
    if (liveFrom <= to) {
      days.push(
        ...(await this.countDays(this.dataSource.manager, liveFrom, to, houseId, timeZone, true)),
      );
    }
    return days;
  }

  /** Counts closed days from the ledger and stores them, under the fill side of the lock. */
  private async storeDays(
    { from, to }: { from: string; to: string },
    houseId: string | null,
    scope: string,
    timeZone: string,
    recent: boolean,
  ): Promise<OccupancyDay[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [OCCUPANCY_DAYS_LOCK]);
      const days = await this.countDays(manager, from, to, houseId, timeZone, recent);
      await manager.query(
        `INSERT INTO occupancy_days (scope, time_zone, day, day_ends_at, occupied, capacity)
         SELECT $1, $2, d.day, (d.day + 1)::timestamp AT TIME ZONE $2, d.occupied, d.capacity
         FROM unnest($3::date[], $4::int[], $5::int[]) AS d(day, occupied, capacity)
         ON CONFLICT (scope, time_zone, day)
         DO UPDATE SET day_ends_at = EXCLUDED.day_ends_at, occupied = EXCLUDED.occupied,
                       capacity = EXCLUDED.capacity`,
        [
          scope,
          timeZone,
          days.map((d) => d.date),
          days.map((d) => d.occupied),
          days.map((d) => d.capacity),
        ],
      );
      return days;
    });
  }

  /**
   * Bed-nights per calendar day of TZ_SERVICE, counted from the ledger: a person counts on a day
   * when her interval holds the day's last instant (the next local midnight minus 1µs), that is
   * from the local date of its start to the day before the local date of its end; capacity is
   * the beds counted by then and not out of service at it. Rather than counting the ledger once
   * per day (a year of a national network is millions of intervals times 365), each interval
   * that touches the range is read once as a +1 on its first day and a -1 on its end day, and a
   * running sum over the days gives the count: the same figures, in one pass.
   *
   * A `recent` span (one that starts within about a week: the live days, and the days closed
   * since the last request) is reached through the open intervals and those closed since, both
   * indexed; older spans through the ledger's range index. Both find the same intervals.
   */
  private async countDays(
    manager: EntityManager,
    from: string,
    to: string,
    houseId: string | null,
    timeZone: string,
    recent: boolean,
  ): Promise<OccupancyDay[]> {
    return manager.query<OccupancyDay[]>(
      `WITH days AS (
         SELECT d.day,
                ((d.day + 1)::timestamp AT TIME ZONE $3) - interval '1 microsecond' AS last_instant
         FROM (SELECT $1::date + n AS day
               FROM generate_series(0, $2::date - $1::date) AS n) d
       ), span AS (
         SELECT tstzrange(min(last_instant), max(last_instant), '[]') AS r FROM days
       ), held AS (
         -- Each interval counts from the day of its start to the day before its end (local dates);
         -- one that started before the range counts from its first day, without converting.
         SELECT CASE WHEN lower(o.during) < lower(span.r) - interval '1 day' THEN $1::date
                     ELSE (lower(o.during) AT TIME ZONE $3)::date END AS first_day,
                (upper(o.during) AT TIME ZONE $3)::date AS end_day
         FROM stay_occupants o, span
         WHERE ${recent ? HELD_RECENTLY : HELD_ANY_TIME}
       ), deltas AS (
         SELECT greatest(first_day, $1::date) AS day, count(*) AS delta FROM held GROUP BY 1
         UNION ALL
         SELECT end_day, -count(*) FROM held WHERE end_day <= $2::date GROUP BY 1
       ), capacity_deltas AS (
         -- A bed counts from the day it was added; a period out of service, like an interval held.
         SELECT greatest((b.available_from AT TIME ZONE $3)::date, $1::date) AS day, count(*) AS delta
         FROM beds b, span
         WHERE b.available_from <= upper(span.r) AND ($4::uuid IS NULL OR b.house_id = $4)
         GROUP BY 1
         UNION ALL
         SELECT greatest((greatest(lower(p.out_of_service), b.available_from) AT TIME ZONE $3)::date, $1::date),
                -count(*)
         FROM bed_service_periods p JOIN beds b ON b.id = p.bed_id, span
         WHERE p.out_of_service && span.r AND ($4::uuid IS NULL OR b.house_id = $4)
           AND (upper_inf(p.out_of_service) OR upper(p.out_of_service) > b.available_from)
         GROUP BY 1
         UNION ALL
         SELECT (upper(p.out_of_service) AT TIME ZONE $3)::date, count(*)
         FROM bed_service_periods p JOIN beds b ON b.id = p.bed_id, span
         WHERE p.out_of_service && span.r AND ($4::uuid IS NULL OR b.house_id = $4)
           AND upper(p.out_of_service) > b.available_from
           AND (upper(p.out_of_service) AT TIME ZONE $3)::date <= $2::date
         GROUP BY 1
       ), occupied_per_day AS (
         SELECT day, sum(delta) AS delta FROM deltas GROUP BY day
       ), capacity_per_day AS (
         SELECT day, sum(delta) AS delta FROM capacity_deltas GROUP BY day
       )
       SELECT days.day AS date,
              (sum(coalesce(o.delta, 0)) OVER (ORDER BY days.day))::int AS occupied,
              (sum(coalesce(c.delta, 0)) OVER (ORDER BY days.day))::int AS capacity
       FROM days
       LEFT JOIN occupied_per_day o ON o.day = days.day
       LEFT JOIN capacity_per_day c ON c.day = days.day
       ORDER BY days.day`,
      [from, to, timeZone, houseId],
    );
  }

  /**
   * The places expected taken and free at the end of each of `days` days from `from` (a date of
   * TZ_SERVICE) if every active stay ends at its term: a person counts on a day while her
   * stay's `termEndsAt` is after the day's last instant, as `/occupancy/history` counts a day;
   * a stay already past its term is expected to leave at once. `termEnding` counts the places
   * whose term ends that day; `maxEnding` the places whose stay must have ended by the end of
   * that day at the latest (its `maxEndsAt`), so free even if every stay is extended to the
   * limit. Capacity is the beds in service now; a bed kept by a transport hold that still runs
   * at a day's end is not free that day.
   */
  async forecast(
    from: string,
    days: number,
    houseId: string | null,
    timeZone: string,
  ): Promise<ForecastDay[]> {
    return this.dataSource.query<ForecastDay[]>(
      `WITH days AS (
         SELECT $1::date + n AS day, (($1::date + n + 1)::timestamp AT TIME ZONE $3) AS day_ends
         FROM generate_series(0, $2::int - 1) AS n
       ), families AS (
         SELECT s.term_ends_at, s.max_ends_at, count(*)::int AS people
         FROM stays s JOIN stay_occupants o ON o.stay_id = s.id AND upper_inf(o.during)
         WHERE s.status = 'active' AND ($4::uuid IS NULL OR s.house_id = $4)
         GROUP BY s.id
       ), capacity AS (
         SELECT count(*)::int AS beds FROM beds
         WHERE in_service AND ($4::uuid IS NULL OR house_id = $4)
       ), holds AS (
         SELECT upper(o.during) AS expires_at FROM stay_occupants o
         WHERE o.hold_id IS NOT NULL AND upper(o.during) > now()
           AND ($4::uuid IS NULL OR o.house_id = $4)
       ), per_day AS (
         SELECT d.day,
                (SELECT count(*) FROM holds h WHERE h.expires_at > d.day_ends)::int AS held,
                coalesce(sum(f.people) FILTER (WHERE f.term_ends_at >= d.day_ends), 0)::int AS occupied,
                coalesce(sum(f.people) FILTER (
                  WHERE (f.term_ends_at AT TIME ZONE $3)::date = d.day), 0)::int AS term_ending,
                coalesce(sum(f.people) FILTER (WHERE f.max_ends_at < d.day_ends), 0)::int AS max_ending
         FROM days d LEFT JOIN families f ON true
         GROUP BY d.day, d.day_ends
       )
       SELECT to_char(p.day, 'YYYY-MM-DD') AS date, p.occupied, c.beds - p.occupied - p.held AS free,
              p.term_ending AS "termEnding", p.max_ending AS "maxEnding"
       FROM per_day p, capacity c
       ORDER BY p.day`,
      [from, days, timeZone, houseId],
    );
  }
}
