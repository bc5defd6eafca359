import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * JIT compilation off for Refugio's database. Postgres compiles a query to machine code when its
 * estimated cost passes jit_above_cost; Refugio's queries are short, and some estimates are far
 * too high (the planner cannot see that only a few per cent of the ledger's intervals are open),
 * so the compiling cost more than it saved. Measured on the national data: the live days of the
 * occupancy history spent 69 ms compiling for 80 ms of work, and a year of history for the whole
 * network took 1.34 s with JIT and 0.86 s without.
 *
 * A database setting rather than a connection option, so that it holds through PgBouncer too.
 * Only the database's owner (or a superuser) may set it; otherwise the migration says so and
 * leaves it to the operator (docs/scaling.md).
 */
export class NoJit1763767000000 implements MigrationInterface {
  name = 'NoJit1763767000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.setJit(queryRunner, 'off');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.setJit(queryRunner, 'DEFAULT');
  }

  private async setJit(queryRunner: QueryRunner, value: 'off' | 'DEFAULT'): Promise<void> {
    const assignment = value === 'off' ? 'SET jit = off' : 'RESET jit';
    await queryRunner.query(`
      DO $$
      BEGIN
        EXECUTE format('ALTER DATABASE %I ${assignment}', current_database());
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'Not the owner of the database: set jit = off for it by hand (docs/scaling.md)';
      END $$`);
  }
}
