import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { Environment } from '../config/environment';

// Calendar dates stay `YYYY-MM-DD` strings: turning them into a Date at the process's midnight
// would shift them by the time zone.
types.setTypeParser(types.builtins.DATE, (value) => value);

export function databaseOptions(
  env: Pick<Environment, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: env.DATABASE_URL,
    migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    entities: [],
    extra: {
      max: env.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 5000,
      // Fail a request instead of queueing forever behind a dead connection.
      query_timeout: 30000,
      application_name: 'refugio',
    },
  };
}
