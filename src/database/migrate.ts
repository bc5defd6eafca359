// Every instant is computed in UTC or in TZ_SERVICE explicitly, never in the host's zone.
process.env.TZ = 'UTC';

import { ConfigurationError } from '../config/environment';
import { loadConfig } from '../config/load-config';
import { ensureDatabaseExists } from './ensure-database';
import { migrateDatabase } from './prepare-database';

/**
 * `npm run migrate`: as the database's owner (MIGRATIONS_DATABASE_URL, else DATABASE_URL), applies
 * the migrations (which create DATABASE_APP_ROLE when missing and grant it what the service
 * needs), seeds an empty database and creates the first admin; then exits. For deployments where
 * the service itself logs in as DATABASE_APP_ROLE and holds no owner's password.
 */
async function migrate(): Promise<void> {
  const { config, warnings } = loadConfig();
  for (const warning of warnings) {
    process.stderr.write(`${warning}\n`);
  }
  if (!config.app.production && (await ensureDatabaseExists(config.database.migrationsUrl))) {
    process.stdout.write('Created the database named in MIGRATIONS_DATABASE_URL\n');
  }
  const result = await migrateDatabase(config, {
    log: (message) => process.stdout.write(`${message}\n`),
    warn: (message) => process.stderr.write(`${message}\n`),
  });
  if (result.generatedAdmin) {
    process.stderr.write(
      `\n  First admin created: username "${result.generatedAdmin.username}", ` +
        `password "${result.generatedAdmin.password}"\n  It is not shown again.\n\n`,
    );
  }
  process.stdout.write(
    `Database ready; the service logs in as "${config.database.appRole}" (DATABASE_APP_ROLE)\n`,
  );
}

migrate().catch((error: unknown) => {
  const message =
    error instanceof ConfigurationError
      ? error.message
      : `Migration failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
