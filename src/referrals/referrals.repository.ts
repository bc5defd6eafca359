import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { NewAuditEvent } from '../audit/audit.repository';
import { Clock } from '../common/clock';
import { localDate } from '../common/local-day';
import { Config } from '../config/config';
import { isPgError, PG_UNIQUE_VIOLATION } from '../common/pg-errors';
import { runPrepared, statement } from '../database/prepared';
import { runUpdate } from '../database/updates';
import { StoredProtectionOrder } from './protection-order';
import { matchingReferralIds, ReferralSearch, referralSearchValues } from './referral-search';
import {
  AuthorityType,
  RejectionReasonCode,
  Relationship,
  ReferralStatus,
  RiskLevel,
} from './referral.types';

export interface ProtectionOrder {
  number: string;
  authorityType: AuthorityType;
  authorityName: string;
  issuedAt: string;
}

export interface NewReferral {
  /** Made by the service, so that the case's data key exists before its data is written. */
  id: string;
  referrerId: string | null;
  createdBy: string | null;
  callerKey: string;
  externalReference: string;
  requestFingerprint: string;
  /** Null for a provisional referral, which carries `provisional` instead; `number` is
   * encrypted (PiiCipher): the columns hold no number in clear. */
  protectionOrder: ProtectionOrder | null;
  /** Staff only: why she is admitted before the order (encrypted), and the hours it may take. */
  provisional: { reasonCiphertext: string; orderHours: number } | null;
  riskLevel: RiskLevel;
  wheelchairAccessible: boolean;
  familySize: number;
  personalData: string;
  documentIndex: string | null;
  /** The blind index of each word of each name: the person's position, and the token. */
  nameTokens: { position: number; token: Buffer }[];
  createdAt: Date;
}

/** The first answer to an intake, kept so that every replay gets exactly it. */
export interface StoredReceipt {
  id: string;
  externalReference: string;
  status: 'received';
  createdAt: string;
}

/** The audit event of an intake; its resource is the referral the statement creates. */
export type ReferralAuditEvent = Omit<NewAuditEvent, 'resourceId'>;

/** What an intake under an Idempotency-Key came to. */
export type IntakeOutcome =
  | { kind: 'created'; id: string }
  /** The caller already used the external reference; nothing was written. */
  | { kind: 'reference-taken' }
  /** A live key answers for this request; nothing was written. */
  | { kind: 'key-live'; holder: { receipt: StoredReceipt; fingerprint: string } }
  /** The key was taken meanwhile, or an expired one is still there; nothing was written. */
  | { kind: 'key-taken' };

export interface ReferralRecord {
  id: string;
  referrerId: string | null;
  externalReference: string;
  /** Null while a provisional referral awaits its order. */
  protectionOrder: StoredProtectionOrder | null;
  /** Recorded provisionally by staff: the reason still encrypted, and when the order came. */
  provisional: { reasonCiphertext: string; orderAttachedAt: Date | null } | null;
  riskLevel: RiskLevel;
  wheelchairAccessible: boolean;
  familySize: number;
  personalData: string;
  documentIndex: string | null;
  status: ReferralStatus;
  statusReason: string | null;
  /** Set by a rejection only. */
  statusReasonCode: RejectionReasonCode | null;
  /** The referrer typed `statusReason` (withdrawing her own referral); else it is staff's. */
  statusReasonByReferrer: boolean;
  /** When the case was erased (its key destroyed, or about to be); null while readable. */
  erasedAt: Date | null;
  admittedAt: Date | null;
  exitedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReferralPerson {
  id: string;
  referralId: string;
  position: number;
}

export interface PriorReferral {
  /** The referral this one is prior to. */
  laterReferralId: string;
  id: string;
  status: ReferralStatus;
  createdAt: Date;
  admittedAt: Date | null;
  exitedAt: Date | null;
}

export interface PriorStay {
  referralId: string;
  id: string;
  houseId: string;
  status: string;
  admittedAt: Date;
  exitedAt: Date | null;
}

interface ReferralRow {
  id: string;
  referrer_id: string | null;
  external_reference: string;
  protection_order_number: string | null;
  protection_order_number_cipher: string | null;
  protection_order_authority_type: AuthorityType | null;
  protection_order_authority_name: string | null;
  protection_order_issued_at: string | null;
  provisional_reason: string | null;
  order_attached_at: Date | null;
  risk_level: RiskLevel;
  wheelchair_accessible: boolean;
  family_size: number;
  personal_data: string;
  document_index: string | null;
  status: ReferralStatus;
  status_reason: string | null;
  status_reason_code: RejectionReasonCode | null;
  status_reason_by_referrer: boolean;
  erased_at: Date | null;
  admitted_at: Date | null;
  exited_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const REFERRAL_COLUMNS = `
  id, referrer_id, external_reference, protection_order_number, protection_order_number_cipher,
  protection_order_authority_type, protection_order_authority_name, protection_order_issued_at,
  provisional_reason, order_attached_at, risk_level, wheelchair_accessible, family_size,
  personal_data, document_index, status, status_reason, status_reason_code,
  status_reason_by_referrer, erased_at, admitted_at, exited_at, created_at, updated_at`;

/** The admission queue's order (the expression of `referrals_queue_idx`), then the id for ties. */
const QUEUE_ORDER = `
  (CASE risk_level WHEN 'extreme' THEN 0 WHEN 'severe' THEN 1 ELSE 2 END), created_at, id`;

const toRecord = (row: ReferralRow): ReferralRecord => ({
  id: row.id,
  referrerId: row.referrer_id,
  externalReference: row.external_reference,
  protectionOrder:
    row.protection_order_number === null && row.protection_order_number_cipher === null
      ? null
      : {
          number: row.protection_order_number,
          numberCipher: row.protection_order_number_cipher,
          authorityType: row.protection_order_authority_type as AuthorityType,
          authorityName: row.protection_order_authority_name as string,
          issuedAt: row.protection_order_issued_at as string,
        },
  provisional:
    row.provisional_reason === null
      ? null
      : { reasonCiphertext: row.provisional_reason, orderAttachedAt: row.order_attached_at },
  riskLevel: row.risk_level,
  wheelchairAccessible: row.wheelchair_accessible,
  familySize: row.family_size,
  personalData: row.personal_data,
  documentIndex: row.document_index,
  status: row.status,
  statusReason: row.status_reason,
  statusReasonCode: row.status_reason_code,
  statusReasonByReferrer: row.status_reason_by_referrer,
  erasedAt: row.erased_at,
  admittedAt: row.admitted_at,
  exitedAt: row.exited_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * The writes of one intake as data-modifying CTEs, `gate` deciding whether the referral is
 * written at all. The audit event is written here rather than by AuditRepository so that it
 * costs no round trip of its own (AuditService.eventOf shapes it). Parameters are cast because an INSERT … SELECT (unlike VALUES) does not take
 * their types from the columns. `$n` are laid out by `intakeValues`.
 */
const intakeWrites = (gate: string): string => `
  referral AS (
    INSERT INTO referrals (
      id, referrer_id, created_by, caller_key, external_reference, request_fingerprint,
      protection_order_number_cipher, protection_order_authority_type, protection_order_authority_name,
      protection_order_issued_at, risk_level, needs, wheelchair_accessible, family_size,
      personal_data, document_index, name_tokens_pending, created_at, updated_at,
      provisional_reason, provisional_order_hours)
    SELECT $28::uuid, $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
           $9::date, $10::text, $11::jsonb, $12::boolean, $13::smallint, $14::text, $15::text,
           false, $16::timestamptz, $16::timestamptz, $26::text, $27::smallint
    ${gate}
    ON CONFLICT (caller_key, external_reference) DO NOTHING
    RETURNING id
  ), people AS (
    INSERT INTO referral_people (referral_id, position, role, relationship)
    SELECT referral.id, p.position - 1,
           CASE WHEN p.position = 1 THEN 'woman' ELSE 'dependant' END, p.relationship
    FROM referral, unnest($17::text[]) WITH ORDINALITY AS p (relationship, position)
    RETURNING id, referral_id, position
  ), name_tokens AS (
    INSERT INTO referral_name_tokens (token, person_id, referral_id)
    SELECT t.token, people.id, people.referral_id
    FROM people JOIN unnest($24::smallint[], $25::bytea[]) AS t (position, token)
      ON t.position = people.position
  ), audit AS (
    INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id, request_id, details)
    SELECT $18::uuid, $19::text, $20::text, $21::text, referral.id, $22::text, $23::jsonb
    FROM referral
  )`;

const INTAKE = statement(
  'referrals-intake',
  `WITH ${intakeWrites('')}
   SELECT id FROM referral`,
);

/**
 * `$29` the key, `$30` the oldest use that is still live, `$31` the receipt without its id.
 * The key is inserted without ON CONFLICT on purpose: one taken after the statement's snapshot
 * must fail the whole statement, referral and audit event included.
 */
const INTAKE_WITH_KEY = statement(
  'referrals-intake-with-key',
  `WITH live_key AS (
     SELECT response, request_fingerprint FROM idempotency_keys
     WHERE caller_key = $3 AND key = $29 AND created_at >= $30
   ), ${intakeWrites('WHERE NOT EXISTS (SELECT 1 FROM live_key)')}, idempotency_key AS (
     INSERT INTO idempotency_keys (caller_key, key, request_fingerprint, referral_id, response, created_at)
     SELECT $3, $29, $5, referral.id, $31::jsonb || jsonb_build_object('id', referral.id), $16
     FROM referral
   )
   SELECT id, NULL::jsonb AS response, NULL::text AS request_fingerprint FROM referral
   UNION ALL
   SELECT NULL, response, request_fingerprint FROM live_key`,
);

function intakeValues(
  referral: NewReferral,
  dependants: Relationship[],
  audit: ReferralAuditEvent,
): unknown[] {
  return [
    referral.referrerId,
    referral.createdBy,
    referral.callerKey,
    referral.externalReference,
    referral.requestFingerprint,
    referral.protectionOrder?.number ?? null,
    referral.protectionOrder?.authorityType ?? null,
    referral.protectionOrder?.authorityName ?? null,
    referral.protectionOrder?.issuedAt ?? null,
    referral.riskLevel,
    JSON.stringify({ wheelchairAccessible: referral.wheelchairAccessible }),
    referral.wheelchairAccessible,
    referral.familySize,
    referral.personalData,
    referral.documentIndex,
    referral.createdAt,
    [null, ...dependants],
    audit.actorId,
    audit.actorRole,
    audit.action,
    audit.resourceType,
    audit.requestId,
    JSON.stringify(audit.details),
    referral.nameTokens.map((t) => t.position),
    referral.nameTokens.map((t) => t.token),
    referral.provisional?.reasonCiphertext ?? null,
    referral.provisional?.orderHours ?? null,
    referral.id,
  ];
}

@Injectable()
export class ReferralsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  /**
   * Records an intake in one statement, so one round trip and no BEGIN/COMMIT: the referral
   * (unless the caller already used its external reference), its people (the woman at position
   * 0, then the dependants in the order sent), the tokens of their names and its audit event. A concurrent twin waits on
   * the unique index and then inserts nothing: the database decides who was first, and the
   * answer is null.
   */
  async intake(
    referral: NewReferral,
    dependants: Relationship[],
    audit: ReferralAuditEvent,
  ): Promise<string | null> {
    const rows = await runPrepared<{ id: string }>(
      this.dataSource,
      INTAKE,
      intakeValues(referral, dependants, audit),
    );
    return rows[0]?.id ?? null;
  }

  /**
   * `intake` under the caller's Idempotency-Key, still one statement: nothing is written when a
   * live key exists (its holder answers), and the key is taken with the referral. A key taken
   * by a concurrent request after the statement began, or an expired one still in place, makes
   * the whole statement fail on the key's primary key, so that no referral is left without it.
   */
  async intakeWithKey(
    referral: NewReferral,
    dependants: Relationship[],
    audit: ReferralAuditEvent,
    key: { key: string; receipt: Omit<StoredReceipt, 'id'>; liveSince: Date },
  ): Promise<IntakeOutcome> {
    let rows: { id: string | null; response: StoredReceipt | null; request_fingerprint: string }[];
    try {
      rows = await runPrepared(this.dataSource, INTAKE_WITH_KEY, [
        ...intakeValues(referral, dependants, audit),
        key.key,
        key.liveSince,
        JSON.stringify(key.receipt),
      ]);
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION, 'idempotency_keys_pkey')) {
        return { kind: 'key-taken' };
      }
      throw error;
    }
    const row = rows[0];
    if (!row) {
      return { kind: 'reference-taken' };
    }
    if (row.id !== null) {
      return { kind: 'created', id: row.id };
    }
    return {
      kind: 'key-live',
      holder: { receipt: row.response as StoredReceipt, fingerprint: row.request_fingerprint },
    };
  }

  async findReceiptByReference(
    callerKey: string,
    externalReference: string,
  ): Promise<{ receipt: StoredReceipt; fingerprint: string } | null> {
    const rows = await this.dataSource.query<
      { id: string; external_reference: string; created_at: Date; request_fingerprint: string }[]
    >(
      `SELECT id, external_reference, created_at, request_fingerprint
       FROM referrals WHERE caller_key = $1 AND external_reference = $2`,
      [callerKey, externalReference],
    );
    const row = rows[0];
    return row
      ? {
          receipt: {
            id: row.id,
            externalReference: row.external_reference,
            status: 'received',
            createdAt: row.created_at.toISOString(),
          },
          fingerprint: row.request_fingerprint,
        }
      : null;
  }

  /**
   * Takes the caller's Idempotency-Key for this referral: a new key, or one older than
   * `expiredBefore` (then replaced). A live key is left as it is: the concurrent twin waits on
   * the primary key and then sees the winner's row.
   */
  async claimIdempotencyKey(input: {
    callerKey: string;
    key: string;
    fingerprint: string;
    referralId: string;
    receipt: StoredReceipt;
    now: Date;
    expiredBefore: Date;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO idempotency_keys (caller_key, key, request_fingerprint, referral_id, response, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (caller_key, key) DO UPDATE
         SET request_fingerprint = EXCLUDED.request_fingerprint, referral_id = EXCLUDED.referral_id,
             response = EXCLUDED.response, created_at = EXCLUDED.created_at
         WHERE idempotency_keys.created_at < $7`,
      [
        input.callerKey,
        input.key,
        input.fingerprint,
        input.referralId,
        JSON.stringify(input.receipt),
        input.now,
        input.expiredBefore,
      ],
    );
  }

  /** The caller's key if it was used at or after `notBefore` (a key lives 24 hours). */
  async findLiveIdempotencyKey(
    callerKey: string,
    key: string,
    notBefore: Date,
  ): Promise<{ receipt: StoredReceipt; fingerprint: string } | null> {
    const rows = await this.dataSource.query<
      { response: StoredReceipt; request_fingerprint: string }[]
    >(
      `SELECT response, request_fingerprint FROM idempotency_keys
       WHERE caller_key = $1 AND key = $2 AND created_at >= $3`,
      [callerKey, key, notBefore],
    );
    return rows[0] ? { receipt: rows[0].response, fingerprint: rows[0].request_fingerprint } : null;
  }

  /**
   * Forgets the caller's key if it was last used before `expiredBefore`: an expired key means
   * nothing any more, and `intakeWithKey` takes only a key that is not there.
   */
  async deleteExpiredIdempotencyKey(
    callerKey: string,
    key: string,
    expiredBefore: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE caller_key = $1 AND key = $2 AND created_at < $3`,
      [callerKey, key, expiredBefore],
    );
  }

  /** One referral; with a referrer id, only if it is that referrer's. */
  async findById(id: string, referrerId: string | null): Promise<ReferralRecord | null> {
    const rows = await this.dataSource.query<ReferralRow[]>(
      `SELECT ${REFERRAL_COLUMNS} FROM referrals
       WHERE id = $1 AND ($2::uuid IS NULL OR referrer_id = $2)`,
      [id, referrerId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Staff listing: by status (all when null), in the admission queue's order. */
  async findPageInQueueOrder(
    status: ReferralStatus | null,
    limit: number,
    offset: number,
  ): Promise<ReferralRecord[]> {
    const rows = await this.dataSource.query<ReferralRow[]>(
      `SELECT ${REFERRAL_COLUMNS} FROM referrals
       WHERE ($1::text IS NULL OR status = $1)
       ORDER BY ${QUEUE_ORDER} LIMIT $2 OFFSET $3`,
      [status, limit, offset],
    );
    return rows.map(toRecord);
  }

  /** Staff search: the referrals `search` finds, by status, in the admission queue's order. */
  async findPageMatching(
    search: ReferralSearch,
    status: ReferralStatus | null,
    limit: number,
    offset: number,
  ): Promise<ReferralRecord[]> {
    const rows = await this.dataSource.query<ReferralRow[]>(
      `SELECT ${REFERRAL_COLUMNS} FROM referrals
       WHERE id IN (${matchingReferralIds(4)}) AND ($1::text IS NULL OR status = $1)
       ORDER BY ${QUEUE_ORDER} LIMIT $2 OFFSET $3`,
      [status, limit, offset, ...referralSearchValues(search)],
    );
    return rows.map(toRecord);
  }

  /** A referrer's own referrals, newest first: the ones a comisaría is checking on. */
  async findPageOfReferrer(
    referrerId: string,
    status: ReferralStatus | null,
    limit: number,
    offset: number,
  ): Promise<ReferralRecord[]> {
    const rows = await this.dataSource.query<ReferralRow[]>(
      `SELECT ${REFERRAL_COLUMNS} FROM referrals
       WHERE referrer_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
      [referrerId, status, limit, offset],
    );
    return rows.map(toRecord);
  }

  async findPeople(referralIds: string[]): Promise<ReferralPerson[]> {
    const rows = await this.dataSource.query<
      { id: string; referral_id: string; position: number }[]
    >(
      `SELECT id, referral_id, position FROM referral_people
       WHERE referral_id = ANY($1::uuid[]) ORDER BY referral_id, position`,
      [referralIds],
    );
    return rows.map((r) => ({ id: r.id, referralId: r.referral_id, position: r.position }));
  }

  /** For each given referral, the earlier referrals carrying the same document, newest first. */
  async findPriorReferralsBySameDocument(referralIds: string[]): Promise<PriorReferral[]> {
    const rows = await this.dataSource.query<
      {
        later_id: string;
        id: string;
        status: ReferralStatus;
        created_at: Date;
        admitted_at: Date | null;
        exited_at: Date | null;
      }[]
    >(
      `SELECT later.id AS later_id, earlier.id, earlier.status, earlier.created_at,
              earlier.admitted_at, earlier.exited_at
       FROM referrals later
       JOIN referrals earlier
         ON earlier.document_index = later.document_index
        AND earlier.id <> later.id
        AND earlier.created_at <= later.created_at
       WHERE later.id = ANY($1::uuid[]) AND later.document_index IS NOT NULL
       ORDER BY later.id, earlier.created_at DESC, earlier.id`,
      [referralIds],
    );
    return rows.map((r) => ({
      laterReferralId: r.later_id,
      id: r.id,
      status: r.status,
      createdAt: r.created_at,
      admittedAt: r.admitted_at,
      exitedAt: r.exited_at,
    }));
  }

  async findStaysOfReferrals(referralIds: string[]): Promise<PriorStay[]> {
    if (referralIds.length === 0) {
      return [];
    }
    const rows = await this.dataSource.query<
      {
        referral_id: string;
        id: string;
        house_id: string;
        status: string;
        admitted_at: Date;
        exited_at: Date | null;
      }[]
    >(
      `SELECT referral_id, id, house_id, status, admitted_at, exited_at FROM stays
       WHERE referral_id = ANY($1::uuid[]) ORDER BY admitted_at, id`,
      [referralIds],
    );
    return rows.map((r) => ({
      referralId: r.referral_id,
      id: r.id,
      houseId: r.house_id,
      status: r.status,
      admittedAt: r.admitted_at,
      exitedAt: r.exited_at,
    }));
  }

  /**
   * Moves a received referral to `to` (withdrawn or rejected). Conditional on the status, so of
   * two concurrent decisions only one applies; null when it was not received (or not visible).
   */
  async closeIfReceived(
    manager: EntityManager,
    input: {
      id: string;
      referrerId: string | null;
      to: 'withdrawn' | 'rejected';
      reason: string | null;
      /** Required of a rejection; a withdrawal has none. */
      reasonCode: RejectionReasonCode | null;
      now: Date;
    },
  ): Promise<ReferralRecord | null> {
    const { rows } = await runUpdate<ReferralRow>(
      manager,
      `UPDATE referrals SET status = $3, status_reason = $4, status_reason_code = $6,
         status_reason_by_referrer = ($2::uuid IS NOT NULL), updated_at = $5
       WHERE id = $1 AND ($2::uuid IS NULL OR referrer_id = $2) AND status = 'received'
       RETURNING ${REFERRAL_COLUMNS}`,
      [input.id, input.referrerId, input.to, input.reason, input.now, input.reasonCode],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findStatus(
    manager: EntityManager,
    id: string,
    referrerId: string | null,
  ): Promise<ReferralStatus | null> {
    const rows = await manager.query<{ status: ReferralStatus }[]>(
      `SELECT status FROM referrals WHERE id = $1 AND ($2::uuid IS NULL OR referrer_id = $2)`,
      [id, referrerId],
    );
    return rows[0]?.status ?? null;
  }

  /** How many referrals still wait for the tokens of their names (written before search). */
  async countPendingNameTokens(): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM referrals WHERE name_tokens_pending`,
    );
    return count;
  }

  /**
   * The next referrals after `afterId` still waiting for their name tokens, locked so that
   * instances starting together share the work instead of repeating it.
   */
  async lockPendingNameTokens(
    manager: EntityManager,
    afterId: string,
    limit: number,
  ): Promise<{ id: string; personalData: string; personIds: string[] }[]> {
    return manager.query(
      `SELECT r.id, r.personal_data AS "personalData",
              ARRAY(SELECT p.id FROM referral_people p WHERE p.referral_id = r.id
                    ORDER BY p.position) AS "personIds"
       FROM referrals r
       WHERE r.name_tokens_pending AND r.id > $1
       ORDER BY r.id LIMIT $2 FOR NO KEY UPDATE OF r SKIP LOCKED`,
      [afterId, limit],
    );
  }

  /**
   * Writes these name tokens and marks the referrals done, in the caller's transaction. The
   * person ids come from `lockPendingNameTokens`: a join to referral_people here would be a
   * scan of the whole table per batch.
   */
  async writeNameTokens(
    manager: EntityManager,
    referralIds: string[],
    tokens: { referralId: string; personId: string; token: Buffer }[],
  ): Promise<void> {
    await manager.query(
      `WITH tokens AS (
         INSERT INTO referral_name_tokens (token, person_id, referral_id)
         SELECT * FROM unnest($2::bytea[], $3::uuid[], $4::uuid[])
         ON CONFLICT DO NOTHING
       )
       UPDATE referrals SET name_tokens_pending = false WHERE id = ANY($1::uuid[])`,
      [
        referralIds,
        tokens.map((t) => t.token),
        tokens.map((t) => t.personId),
        tokens.map((t) => t.referralId),
      ],
    );
  }

  /**
   * Unmet demand: records that the service answered `409 NO_CAPACITY` for this referral, once
   * per referral and calendar day of TZ_SERVICE (the table's primary key decides between
   * concurrent refusals; a second one that day inserts nothing). Call it for every NO_CAPACITY
   * answer of `POST /stays` and `POST /holds`, *after* the refused work: with `null` it runs on
   * its own connection, so it is kept even when the caller's transaction rolls back; with a
   * manager, in that transaction. Answers whether this call recorded the day (false: already on
   * record). The reports count these rows as `referrals.refusedNoCapacity`.
   */
  async recordUnmetDemand(manager: EntityManager | null, referralId: string): Promise<boolean> {
    const now = this.clock.now();
    const rows = await (manager ?? this.dataSource.manager).query<{ referral_id: string }[]>(
      `INSERT INTO unmet_demand (referral_id, local_day, recorded_at)
       SELECT id, $2::date, $3 FROM referrals WHERE id = $1
       ON CONFLICT (referral_id, local_day) DO NOTHING RETURNING referral_id`,
      [referralId, localDate(now, this.config.time.zone), now],
    );
    return rows.length > 0;
  }

  /**
   * Attaches the protection order to a referral still waiting for it (recorded provisionally,
   * not rejected or withdrawn; with `houseId`, only one whose stay is in that house), in one
   * statement: its stays stop being provisional and their pending order alerts are cancelled.
   * Null when no such referral (the caller tells why).
   */
  async attachProtectionOrder(
    manager: EntityManager,
    /** `order.number` encrypted (PiiCipher), as at intake. */
    input: { id: string; order: ProtectionOrder; houseId: string | null; now: Date },
  ): Promise<ReferralRecord | null> {
    const rows = await manager.query<ReferralRow[]>(
      `WITH referral AS (
         UPDATE referrals r
         SET protection_order_number_cipher = $2, protection_order_authority_type = $3,
             protection_order_authority_name = $4, protection_order_issued_at = $5,
             order_attached_at = $6, updated_at = $6
         WHERE r.id = $1 AND r.provisional_reason IS NOT NULL
           AND r.protection_order_number IS NULL AND r.protection_order_number_cipher IS NULL
           AND r.status IN ('received', 'admitted', 'exited')
           AND ($7::uuid IS NULL
                OR EXISTS (SELECT 1 FROM stays s WHERE s.referral_id = r.id AND s.house_id = $7))
         RETURNING ${REFERRAL_COLUMNS}
       ), stay AS (
         UPDATE stays s SET provisional = false, updated_at = $6
         FROM referral WHERE s.referral_id = referral.id AND s.provisional
         RETURNING s.id
       ), alert AS (
         UPDATE order_alerts a
         SET status = 'cancelled', cancelled_at = $6, cancel_reason = 'order_attached'
         FROM stay WHERE a.stay_id = stay.id AND a.status = 'scheduled'
       )
       SELECT * FROM referral`,
      [
        input.id,
        input.order.number,
        input.order.authorityType,
        input.order.authorityName,
        input.order.issuedAt,
        input.now,
        input.houseId,
      ],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Why an order cannot be attached: the referral's status and whether it still awaits its
   * order; null when it does not exist or, with `houseId`, has no stay in that house.
   */
  async findOrderState(
    manager: EntityManager,
    id: string,
    houseId: string | null,
  ): Promise<{ status: ReferralStatus; awaitingOrder: boolean } | null> {
    const rows = await manager.query<{ status: ReferralStatus; awaitingOrder: boolean }[]>(
      `SELECT r.status,
              (r.provisional_reason IS NOT NULL AND r.protection_order_number IS NULL
               AND r.protection_order_number_cipher IS NULL) AS "awaitingOrder"
       FROM referrals r
       WHERE r.id = $1
         AND ($2::uuid IS NULL
              OR EXISTS (SELECT 1 FROM stays s WHERE s.referral_id = r.id AND s.house_id = $2))`,
      [id, houseId],
    );
    return rows[0] ?? null;
  }
}
