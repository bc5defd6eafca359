// Every instant is computed in UTC or in TZ_SERVICE explicitly, never in the host's zone.
process.env.TZ = 'UTC';

import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from './app.factory';
import { AppRole, ConfigurationError } from './config/environment';
import { loadEnvironment } from './config/load-environment';
import { ensureDatabaseExists } from './database/ensure-database';
import { prepareDatabase } from './database/prepare-database';
import {
  EmbeddedServers,
  startEmbeddedServers,
  stopEmbeddedServers,
  stopWithTheService,
} from './embedded/embedded-servers';
import { EmbeddedServerError } from './embedded/server-process';

let embedded: EmbeddedServers | undefined;

async function bootstrap(): Promise<void> {
  const { env, warnings } = loadEnvironment();
  // loadEnvironment has copied .env's settings into process.env: what is there was given.
  embedded = await startEmbeddedServers(env, (name) => Boolean(process.env[name]));
  stopWithTheService(embedded.servers);
  const created = env.NODE_ENV !== 'production' && (await ensureDatabaseExists(env.DATABASE_URL));
  const app = await createApp(env);
  const logger = new Logger('Refugio');
  for (const warning of warnings) {
    logger.warn(warning);
  }
  for (const note of embedded.notes) {
    logger.log(note);
  }
  if (created) {
    logger.log('Created the database named in DATABASE_URL');
  }
  const prepared = await prepareDatabase(app.get(DataSource), env, {
    log: (message) => logger.log(message),
    warn: (message) => logger.warn(message),
  });
  if (prepared.generatedAdmin) {
    // Shown once on the terminal, not through the logger: log stores keep lines for months.
    process.stderr.write(
      `\n  First admin created: username "${prepared.generatedAdmin.username}", ` +
        `password "${prepared.generatedAdmin.password}"\n  It is not shown again.\n\n`,
    );
  }
  if (env.APP_ROLE === AppRole.Worker) {
    await app.init();
    logger.log('Refugio worker started');
    return;
  }
  await app.listen({ port: env.PORT, host: '0.0.0.0' });
  logger.log(`Refugio listening on port ${env.PORT} (role ${env.APP_ROLE})`);
}

bootstrap().catch(async (error: unknown) => {
  // One clear line, never a stack trace with settings in it.
  const message =
    error instanceof ConfigurationError || error instanceof EmbeddedServerError
      ? error.message
      : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  await stopEmbeddedServers(embedded?.servers ?? []);
  process.exit(1);
});
