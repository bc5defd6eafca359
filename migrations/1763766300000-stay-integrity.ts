import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closes holes the bed ledger left open to a direct INSERT: an occupant's bed in another house
 * than the one the row names (occupancy would count it in the wrong house), a person of another
 * family in a stay, an interval starting before the admission, and a stay for a referral that
 * cannot be admitted (withdrawn, rejected, already admitted) or dated before its protection
 * order. The service checks all of this first; these are the database's last word.
 */
export class StayIntegrity1763766300000 implements MigrationInterface {
  name = 'StayIntegrity1763766300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE beds ADD CONSTRAINT beds_id_house_unique UNIQUE (id, house_id)`,
    );
    await queryRunner.query(`
      ALTER TABLE stay_occupants ADD CONSTRAINT stay_occupants_bed_in_house
        FOREIGN KEY (bed_id, house_id) REFERENCES beds (id, house_id)`);

    // The protection order's columns are NOT NULL and checked on referrals; this makes a stay
    // depend on them too. The order's date is a date in TZ_SERVICE, which the database does not
    // know: the earliest zone on Earth (UTC+14) gives a bound that never refuses a lawful stay.
    await queryRunner.query(`
      CREATE FUNCTION stays_admissible_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM referrals r
          WHERE r.id = NEW.referral_id
            AND r.status = 'received'
            AND length(btrim(r.protection_order_number)) > 0
            AND length(btrim(r.protection_order_authority_name)) > 0
            AND r.protection_order_authority_type IS NOT NULL
            AND r.protection_order_issued_at IS NOT NULL
            AND NEW.admitted_at >= (r.protection_order_issued_at::timestamp AT TIME ZONE 'Pacific/Kiritimati')
        ) THEN
          RAISE EXCEPTION 'stay for a referral that cannot be admitted'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stays_admissible_referral';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER stays_admissible_referral BEFORE INSERT ON stays
      FOR EACH ROW EXECUTE FUNCTION stays_admissible_referral()`);

    await queryRunner.query(`
      CREATE FUNCTION stay_occupants_belong_to_stay() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM stays s JOIN referral_people p ON p.referral_id = s.referral_id
          WHERE s.id = NEW.stay_id AND p.id = NEW.person_id AND p.role = NEW.role
            AND s.house_id = NEW.house_id AND lower(NEW.during) >= s.admitted_at
        ) THEN
          RAISE EXCEPTION 'occupant does not belong to the stay, its house or its time'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stay_occupants_belong_to_stay';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER stay_occupants_belong_to_stay BEFORE INSERT ON stay_occupants
      FOR EACH ROW EXECUTE FUNCTION stay_occupants_belong_to_stay()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER stay_occupants_belong_to_stay ON stay_occupants`);
    await queryRunner.query(`DROP FUNCTION stay_occupants_belong_to_stay()`);
    await queryRunner.query(`DROP TRIGGER stays_admissible_referral ON stays`);
    await queryRunner.query(`DROP FUNCTION stays_admissible_referral()`);
    await queryRunner.query(
      `ALTER TABLE stay_occupants DROP CONSTRAINT stay_occupants_bed_in_house`,
    );
    await queryRunner.query(`ALTER TABLE beds DROP CONSTRAINT beds_id_house_unique`);
  }
}
