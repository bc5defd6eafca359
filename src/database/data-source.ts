import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { databaseOptions } from './database-options';

/**
 * For the TypeORM CLI (`typeorm migration:run -d dist/src/database/data-source.js`): the
 * owner's connection (MIGRATIONS_DATABASE_URL), as start-up uses for migrations.
 */
export default new DataSource(databaseOptions(loadConfig().config.database, { owner: true }));
