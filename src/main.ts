// Every instant is computed in UTC or in TZ_SERVICE explicitly, never in the host's zone.
process.env.TZ = 'UTC';

import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from './app.factory';
import { AppRole, ConfigurationError } from './config/environment';
import { parseConfig } from './config/config';
import { loadConfig } from './config/load-config';
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
  const loaded = loadConfig();
  const { warnings } = loaded;
  // loadConfig has copied .env's settings into process.env: what is there was given.
  embedded = await startEmbeddedServers(loaded.config, (name) => Boolean(process.env[name]));
  // Config is frozen: the embedded servers' addresses make a new one.
  const config =
    embedded.servers.length > 0 ? parseConfig({ ...process.env, ...embedded.urls }) : loaded.config;
  stopWithTheService(embedded.servers);
  const created =
    !config.app.production && (await ensureDatabaseExists(config.database.migrationsUrl));
  const app = await createApp(config);
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
  const prepared = await prepareDatabase(app.get(DataSource), config, {
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
  if (config.app.role === AppRole.Worker) {
    await app.init();
    logger.log('Refugio worker started');
    return;
  }
  await app.listen({ port: config.http.port, host: config.http.host });
  logger.log(
    `Refugio listening on ${config.http.host} port ${config.http.port} (role ${config.app.role})`,
  );
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
