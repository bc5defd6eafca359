import { DataSource } from 'typeorm';
import { loadEnvironment } from '../config/load-environment';
import { databaseOptions } from './database-options';

/** For the TypeORM CLI (`typeorm migration:generate -d dist/src/database/data-source.js`). */
export default new DataSource(databaseOptions(loadEnvironment().env));
