import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least privilege (API.md, "Data protection"): the service's own role, DATABASE_APP_ROLE, made
 * here when missing, may read and write the tables it uses but never UPDATE, DELETE or TRUNCATE
 * the audit log (nor rewrite consents), never write the migrations' ledger, and never change the
 * schema (it owns nothing and may CREATE nothing in it). Migrations run as the owner
 * (MIGRATIONS_DATABASE_URL), whose connection names the role in the setting refugio.app_role.
 *
 * Roles belong to the whole server, not to one database: another database (a test's, another
 * deployment's) may have made it a moment ago, so its creation tolerates that race. The grants
 * are one function, which the start-up runs again after every migration run (prepareDatabase):
 * default privileges cover tables later migrations create as this owner, and the re-run covers
 * tables made by anyone else and re-applies the refusals on append-only tables.
 */
export class AppRole1764505100000 implements MigrationInterface {
  name = 'AppRole1764505100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION database_grant_app_role(p_role text) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
          BEGIN
            -- LOGIN without a password: trust and peer setups (development, tests, the embedded
            -- server) may log in as it; elsewhere the operator gives it a password.
            EXECUTE format('CREATE ROLE %I LOGIN', p_role);
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- made meanwhile by another database's migration
          END;
        END IF;
        -- PostgreSQL 15's default, made explicit for 14: nobody but the owner creates objects.
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_role);
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', p_role);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', p_role);
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', p_role);
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, consents FROM %I', p_role);
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM %I', p_role);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public
                        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', p_role);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public
                        GRANT USAGE, SELECT ON SEQUENCES TO %I', p_role);
      END $$`);
    // Only the owner (who runs migrations and start-up) may grant.
    await queryRunner.query(`REVOKE EXECUTE ON FUNCTION database_grant_app_role(text) FROM PUBLIC`);
    await queryRunner.query(`
      SELECT database_grant_app_role(
        coalesce(nullif(current_setting('refugio.app_role', true), ''), 'refugio_app'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The role stays: other databases of the server may use it. Its grants here go.
    await queryRunner.query(`
      DO $$
      DECLARE
        v_role text := coalesce(nullif(current_setting('refugio.app_role', true), ''), 'refugio_app');
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public
                          REVOKE ALL ON TABLES FROM %I', v_role);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public
                          REVOKE ALL ON SEQUENCES FROM %I', v_role);
          EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', v_role);
          EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', v_role);
          EXECUTE format('REVOKE ALL ON SCHEMA public FROM %I', v_role);
          EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), v_role);
        END IF;
      END $$`);
    await queryRunner.query(`DROP FUNCTION database_grant_app_role(text)`);
  }
}
