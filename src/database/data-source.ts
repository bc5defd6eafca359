import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { databaseOptions } from './database-options';

/** For the TypeORM CLI (`typeorm migration:generate -d dist/src/database/data-source.js`). */
export default new DataSource(databaseOptions(loadConfig().config.database));
