import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface HouseOccupancy {
  houseId: string;
  code: string;
  capacity: number;
  occupied: number;
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
  out_of_service: number;
  term_ending: number;
  overdue: number;
}

export interface OccupancyDay {
  date: string;
  occupied: number;
  capacity: number;
}

@Injectable()
export class OccupancyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Occupancy now, per house: a bed in service is occupied when an open interval of the ledger
   * holds it. Stays whose term ends in the next 14 days, and those already past it, come from
   * the stays themselves.
   */
  async current(houseId: string | null, now: Date): Promise<HouseOccupancy[]> {
    const rows = await this.dataSource.query<Row[]>(
      `WITH bed_counts AS (
         SELECT b.house_id,
                count(*) FILTER (WHERE b.in_service)::int AS in_service,
                count(*) FILTER (WHERE NOT b.in_service)::int AS out_of_service
         FROM beds b
         WHERE ($1::uuid IS NULL OR b.house_id = $1)
         GROUP BY b.house_id
       ), occupied AS (
         SELECT o.house_id, count(*)::int AS occupied
         FROM stay_occupants o
         WHERE upper_inf(o.during) AND ($1::uuid IS NULL OR o.house_id = $1)
         GROUP BY o.house_id
       ), terms AS (
         SELECT s.house_id,
                count(*) FILTER (WHERE s.term_ends_at >= $2 AND s.term_ends_at < $2 + interval '14 days')::int AS term_ending,
                count(*) FILTER (WHERE s.term_ends_at < $2)::int AS overdue
         FROM stays s
         WHERE s.status = 'active' AND ($1::uuid IS NULL OR s.house_id = $1)
         GROUP BY s.house_id
       )
       SELECT h.id AS house_id, h.code,
              coalesce(bc.in_service, 0) AS in_service,
              coalesce(oc.occupied, 0) AS occupied,
              coalesce(bc.out_of_service, 0) AS out_of_service,
              coalesce(t.term_ending, 0) AS term_ending,
              coalesce(t.overdue, 0) AS overdue
       FROM houses h
       LEFT JOIN bed_counts bc ON bc.house_id = h.id
       LEFT JOIN occupied oc ON oc.house_id = h.id
       LEFT JOIN terms t ON t.house_id = h.id
       WHERE ($1::uuid IS NULL OR h.id = $1)
       ORDER BY h.code`,
      [houseId, now],
    );
    return rows.map((r) => ({
      houseId: r.house_id,
      code: r.code,
      capacity: r.in_service,
      occupied: r.occupied,
      free: r.in_service - r.occupied,
      outOfService: r.out_of_service,
      termEndingWithin14Days: r.term_ending,
      overdueStays: r.overdue,
    }));
  }

  /**
   * Bed-nights per calendar day of TZ_SERVICE, in one query over the ledger's intervals: a
   * person counts on a day when her interval holds the day's last instant (the next local
   * midnight minus 1µs); capacity is the beds counted by then and not out of service at it.
   */
  async history(
    from: string,
    to: string,
    houseId: string | null,
    timeZone: string,
  ): Promise<OccupancyDay[]> {
    return this.dataSource.query<OccupancyDay[]>(
      `WITH days AS (
         SELECT d.day,
                ((d.day + 1)::timestamp AT TIME ZONE $3) - interval '1 microsecond' AS last_instant
         FROM (SELECT $1::date + n AS day
               FROM generate_series(0, $2::date - $1::date) AS n) d
       )
       SELECT days.day AS date,
              (SELECT count(*)::int FROM stay_occupants o
               WHERE o.during @> days.last_instant
                 AND ($4::uuid IS NULL OR o.house_id = $4)) AS occupied,
              (SELECT count(*)::int FROM beds b
               WHERE b.available_from <= days.last_instant
                 AND ($4::uuid IS NULL OR b.house_id = $4)
                 AND NOT EXISTS (SELECT 1 FROM bed_service_periods p
                                 WHERE p.bed_id = b.id AND p.out_of_service @> days.last_instant)
              ) AS capacity
       FROM days
       ORDER BY days.day`,
      [from, to, timeZone, houseId],
    );
  }

  async houseExists(houseId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM houses WHERE id = $1', [
      houseId,
    ]);
    return rows.length > 0;
  }
}
