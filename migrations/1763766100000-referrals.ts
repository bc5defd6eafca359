import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referrer clients (comisarías, juzgados) and their referrals. Personal data lives only in
 * `personal_data`, encrypted by the application; `document_index` is a keyed HMAC of the
 * document so that earlier referrals of the same woman can be found without it in clear.
 */
export class Referrals1763766100000 implements MigrationInterface {
  name = 'Referrals1763766100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE referrers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        authority_type text NOT NULL CHECK (authority_type IN ('comisaria_familia', 'juez_control_garantias')),
        api_key_hash bytea NOT NULL UNIQUE,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);

    await queryRunner.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referrer_id uuid REFERENCES referrers (id),
        created_by uuid REFERENCES users (id),
        -- Who the external reference belongs to: 'referrer:<id>', or 'staff' as a whole.
        caller_key text NOT NULL,
        external_reference text NOT NULL CHECK (length(btrim(external_reference)) BETWEEN 1 AND 100),
        -- Keyed hash of the submitted body, to tell a replay from a different request.
        request_fingerprint text NOT NULL,
        protection_order_number text NOT NULL CHECK (length(btrim(protection_order_number)) BETWEEN 1 AND 100),
        protection_order_authority_type text NOT NULL
          CHECK (protection_order_authority_type IN ('comisaria_familia', 'juez_control_garantias')),
        protection_order_authority_name text NOT NULL
          CHECK (length(btrim(protection_order_authority_name)) BETWEEN 1 AND 200),
        protection_order_issued_at date NOT NULL,
        risk_level text NOT NULL CHECK (risk_level IN ('moderate', 'severe', 'extreme')),
        needs jsonb NOT NULL DEFAULT '{}',
        wheelchair_accessible boolean NOT NULL DEFAULT false,
        family_size smallint NOT NULL CHECK (family_size BETWEEN 1 AND 12),
        personal_data text NOT NULL,
        document_index text,
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'admitted', 'rejected', 'withdrawn', 'exited')),
        status_reason text CHECK (length(status_reason) <= 1000),
        admitted_at timestamptz,
        exited_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (caller_key, external_reference),
        CHECK ((referrer_id IS NULL) = (caller_key = 'staff')),
        CHECK (status NOT IN ('admitted', 'exited') OR admitted_at IS NOT NULL),
        CHECK (status <> 'exited' OR exited_at IS NOT NULL)
      )`);
    // The admission queue: received referrals by risk, then age.
    await queryRunner.query(`
      CREATE INDEX referrals_queue_idx ON referrals (
        (CASE risk_level WHEN 'extreme' THEN 0 WHEN 'severe' THEN 1 ELSE 2 END), created_at
      ) WHERE status = 'received'`);
    await queryRunner.query(
      `CREATE INDEX referrals_referrer_idx ON referrals (referrer_id, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX referrals_document_idx ON referrals (document_index) WHERE document_index IS NOT NULL`,
    );

    // One row per person of the family; the id is the person's id in stays (no personal data).
    await queryRunner.query(`
      CREATE TABLE referral_people (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referrals (id),
        position smallint NOT NULL CHECK (position BETWEEN 0 AND 11),
        role text NOT NULL CHECK (role IN ('woman', 'dependant')),
        relationship text CHECK (relationship IN ('child', 'other')),
        UNIQUE (referral_id, position),
        CHECK ((position = 0) = (role = 'woman')),
        CHECK ((role = 'dependant') = (relationship IS NOT NULL))
      )`);

    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        caller_key text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        request_fingerprint text NOT NULL,
        referral_id uuid NOT NULL REFERENCES referrals (id),
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller_key, key)
      )`);
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP TABLE referral_people`);
    await queryRunner.query(`DROP TABLE referrals`);
    await queryRunner.query(`DROP TABLE referrers`);
  }
}
