import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, statement } from '../database/prepared';
import { ReferralStatus } from '../referrals/referral.types';

export interface ReferralToPlace {
  id: string;
  status: ReferralStatus;
  familySize: number;
  wheelchairAccessible: boolean;
}

export interface PlacementRoom {
  roomId: string;
  name: string;
  wheelchairAccessible: boolean;
  beds: { bedId: string; label: string }[];
}

export interface Placement {
  houseId: string;
  houseCode: string;
  freePlaces: number;
  /** The beds the service would give, in the family's order (the woman's first). */
  beds: string[];
  /** The rooms of those beds, in the order the family takes them. */
  rooms: PlacementRoom[];
}

/** What `stays_admit` answers: `admitted`, or why it refused before writing anything. */
export type AdmissionOutcome =
  | 'admitted'
  | 'referral_not_found'
  | 'before_order'
  | 'beds_count'
  | 'not_a_house'
  | 'already_admitted'
  | 'invalid_state'
  | 'bed_not_in_house'
  | 'bed_occupied'
  | 'no_capacity'
  | 'retry';

export interface AdmissionResult {
  outcome: AdmissionOutcome;
  stayId: string | null;
  /** The family's size, the referral's status or the beds taken, as the outcome needs. */
  detail: string | null;
  cancelledFollowUps: number;
}

export interface NewAdmission {
  referralId: string;
  houseId: string | null;
  bedIds: string[] | null;
  admittedAt: Date;
  now: Date;
  timeZone: string;
  termEndsAt: Date;
  maxEndsAt: Date;
  termAlerts: { kind: string; dueAt: Date }[];
  actor: { id: string; role: string; requestId: string };
}

const REFERRAL_TO_PLACE = statement(
  'admission-referral-to-place',
  `SELECT r.id, r.status, r.wheelchair_accessible AS "wheelchairAccessible",
          (SELECT count(*)::int FROM referral_people p WHERE p.referral_id = r.id) AS "familySize"
   FROM referrals r WHERE r.id = $1`,
);

/** Every house able to take the family now, best first, with the rooms and beds it would give. */
const PLACEMENTS_NOW = statement(
  'admission-placements-now',
  `SELECT o.house_id AS "houseId", o.house_code AS "houseCode", o.free_places AS "freePlaces",
          o.bed_ids AS beds,
          (SELECT json_agg(x.room ORDER BY x.first)
           FROM (SELECT json_build_object(
                          'roomId', r.id, 'name', r.name,
                          'wheelchairAccessible', r.wheelchair_accessible,
                          'beds', json_agg(json_build_object('bedId', b.id, 'label', b.label)
                                           ORDER BY u.n)) AS room,
                        min(u.n) AS first
                 FROM unnest(o.bed_ids) WITH ORDINALITY AS u (bed_id, n)
                 JOIN beds b ON b.id = u.bed_id
                 JOIN rooms r ON r.id = b.room_id
                 GROUP BY r.id, r.name, r.wheelchair_accessible) x) AS rooms
   FROM stays_placement($1, $2, $3, $3, NULL) o
   ORDER BY o.rank`,
);

const ADMIT = statement(
  'admission-admit',
  `SELECT outcome, stay_id AS "stayId", detail, cancelled_follow_ups AS "cancelledFollowUps"
   FROM stays_admit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
);

/**
 * Ingreso. The admission is one call of `stays_admit` (see its migration): choosing the beds,
 * the stay, its occupants, the referral's move, the follow-ups cancelled at readmission, the
 * term alerts and the audit event, in one round trip under the house's lock.
 */
@Injectable()
export class AdmissionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findReferralToPlace(referralId: string): Promise<ReferralToPlace | null> {
    const [row] = await runPrepared<ReferralToPlace>(this.dataSource, REFERRAL_TO_PLACE, [
      referralId,
    ]);
    return row ?? null;
  }

  findPlacements(
    family: { size: number; wheelchairAccessible: boolean },
    now: Date,
  ): Promise<Placement[]> {
    return runPrepared<Placement>(this.dataSource, PLACEMENTS_NOW, [
      family.size,
      family.wheelchairAccessible,
      now,
    ]);
  }

  async admit(admission: NewAdmission): Promise<AdmissionResult> {
    const [result] = await runPrepared<AdmissionResult>(this.dataSource, ADMIT, [
      admission.referralId,
      admission.houseId,
      admission.bedIds,
      admission.admittedAt,
      admission.now,
      admission.timeZone,
      admission.termEndsAt,
      admission.maxEndsAt,
      admission.termAlerts.map((a) => a.kind),
      admission.termAlerts.map((a) => a.dueAt),
      admission.actor.id,
      admission.actor.role,
      admission.actor.requestId,
    ]);
    return result;
  }
}
