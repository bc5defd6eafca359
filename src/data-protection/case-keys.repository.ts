import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';

/**
 * A column that holds what was written about a case: where its rows are, and how a row finds
 * its case (the referral). Ciphertexts of the global key (v1) and legacy plain text (staff's
 * reasons before they were encrypted) are both taken over by the case's key.
 */
interface CaseColumn {
  table: string;
  column: string;
  /** The row's key in `table` (aliased `t`). */
  pk: string;
  /** `table t` and the joins that reach the referral. */
  from: string;
  referral: string;
}

const viaStay = (table: string): Pick<CaseColumn, 'table' | 'from' | 'referral' | 'pk'> => ({
  table,
  pk: 'id',
  from: `${table} t JOIN stays s ON s.id = t.stay_id`,
  referral: 's.referral_id',
});

/** Every column of case data (API.md, "Data protection": everything written about her people). */
export const CASE_COLUMNS: readonly CaseColumn[] = [
  { table: 'referrals', pk: 'id', column: 'personal_data', from: 'referrals t', referral: 't.id' },
  { table: 'referrals', pk: 'id', column: 'status_reason', from: 'referrals t', referral: 't.id' },
  ...['protection_order_number_cipher', 'provisional_reason'].map((column) => ({
    table: 'referrals',
    pk: 'id',
    column,
    from: 'referrals t',
    referral: 't.id',
  })),
  ...['egress_destination', 'egress_notes'].map((column) => ({
    table: 'stays',
    pk: 'id',
    column,
    from: 'stays t',
    referral: 't.referral_id',
  })),
  { ...viaStay('stay_extensions'), column: 'reason' },
  { ...viaStay('stay_transfers'), column: 'reason' },
  { ...viaStay('case_notes'), column: 'body' },
  { ...viaStay('care_plan_goals'), column: 'description' },
  { ...viaStay('attentions'), column: 'note' },
  ...['authority', 'case_number', 'note'].map((column) => ({
    ...viaStay('legal_processes'),
    column,
  })),
  {
    table: 'legal_process_changes',
    pk: 'id',
    column: 'note',
    from: `legal_process_changes t JOIN legal_processes p ON p.id = t.legal_process_id
           JOIN stays s ON s.id = p.stay_id`,
    referral: 's.referral_id',
  },
  {
    table: 'follow_ups',
    pk: 'id',
    column: 'notes',
    from: 'follow_ups t',
    referral: 't.referral_id',
  },
  ...['legal_progress', 'psychosocial_progress'].map((column) => ({
    table: 'follow_up_situations',
    pk: 'follow_up_id',
    column,
    from: 'follow_up_situations t JOIN follow_ups f ON f.id = t.follow_up_id',
    referral: 'f.referral_id',
  })),
];

/** Staff's reasons about beds: under the house's key. */
export const HOUSE_COLUMNS: readonly CaseColumn[] = ['reason_out', 'reason_back'].map((column) => ({
  table: 'bed_service_periods',
  pk: 'id',
  column,
  from: 'bed_service_periods t JOIN beds b ON b.id = t.bed_id',
  referral: 'b.house_id',
}));

export interface StoredValue {
  pk: string;
  ownerId: string;
  value: string;
}

/** The SQL of the migration to per-case keys and of erasure. */
@Injectable()
export class CaseKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async countPending(): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM referrals WHERE NOT case_keyed`,
    );
    return count;
  }

  /**
   * The next referrals after `afterId` whose data still waits for their key, locked so that
   * instances running the job at once share the batches (SKIP LOCKED).
   */
  async lockPending(manager: EntityManager, afterId: string, limit: number): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM referrals WHERE NOT case_keyed AND id > $1
       ORDER BY id LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED`,
      [afterId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The values of the column, for these owners, not yet under an owner's key (v2). */
  findUnkeyed(
    manager: EntityManager,
    column: CaseColumn,
    ownerIds: readonly string[],
  ): Promise<StoredValue[]> {
    return manager.query<StoredValue[]>(
      `SELECT t.${column.pk} AS pk, ${column.referral} AS "ownerId", t.${column.column} AS value
       FROM ${column.from}
       WHERE ${column.referral} = ANY($1::uuid[])
         AND t.${column.column} IS NOT NULL AND t.${column.column} NOT LIKE 'v2.%'`,
      [ownerIds],
    );
  }

  async write(
    manager: EntityManager,
    column: CaseColumn,
    values: readonly { pk: string; value: string }[],
  ): Promise<void> {
    if (values.length === 0) {
      return;
    }
    await manager.query(
      `UPDATE ${column.table} t SET ${column.column} = u.value
       FROM unnest($1::uuid[], $2::text[]) AS u (pk, value)
       WHERE t.${column.pk} = u.pk`,
      [values.map((v) => v.pk), values.map((v) => v.value)],
    );
  }

  async markKeyed(manager: EntityManager, referralIds: readonly string[]): Promise<void> {
    await manager.query(`UPDATE referrals SET case_keyed = true WHERE id = ANY($1::uuid[])`, [
      referralIds,
    ]);
  }

  /** The houses, whose bed reasons take the house's key. */
  async houseIds(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(`SELECT id FROM houses ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /**
   * Marks referrals erased (once: the first erasure's time stands) and removes what could find
   * her without the key: the tokens of her names, the blind index of her document, the keyed
   * fingerprint of the request that brought her, and Idempotency-Keys of that request. Answers
   * the ids that exist, and which of them this call erased (a concurrent or earlier erasure
   * set `erased_at` to its own time, which the row lock makes this one see).
   */
  async markErased(
    manager: EntityManager,
    ids: readonly string[],
    now: Date,
  ): Promise<{ existing: string[]; fresh: string[] }> {
    const { rows } = await runUpdate<{ id: string; fresh: boolean }>(
      manager,
      `UPDATE referrals SET erased_at = coalesce(erased_at, $2), document_index = NULL,
         request_fingerprint = 'erased', name_tokens_pending = false, case_keyed = true
       WHERE id = ANY($1::uuid[])
       RETURNING id, erased_at = $2 AS fresh`,
      [ids, now],
    );
    const existing = rows.map((r) => r.id);
    await manager.query(`DELETE FROM referral_name_tokens WHERE referral_id = ANY($1::uuid[])`, [
      existing,
    ]);
    await manager.query(`DELETE FROM idempotency_keys WHERE referral_id = ANY($1::uuid[])`, [
      existing,
    ]);
    return { existing, fresh: rows.filter((r) => r.fresh).map((r) => r.id) };
  }

  async markKeyDestroyed(ids: readonly string[], now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE referrals SET key_destroyed_at = $2
       WHERE id = ANY($1::uuid[]) AND key_destroyed_at IS NULL`,
      [ids, now],
    );
  }

  /** Erasures whose key the key store has not yet confirmed destroyed (retried). */
  async findErasuresPending(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM referrals WHERE erased_at IS NOT NULL AND key_destroyed_at IS NULL
       ORDER BY erased_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Cases due for erasure under RETENTION_YEARS: exited (her last stay ended) before `before`,
   * not readmitted since (status exited), not yet erased.
   */
  async findDueForRetention(before: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM referrals
       WHERE status = 'exited' AND exited_at < $1 AND erased_at IS NULL
       ORDER BY exited_at, id LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }
}
