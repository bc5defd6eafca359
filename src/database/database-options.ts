import { Client, ClientConfig, types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { DatabaseSettings } from '../config/config';

// Calendar dates stay `YYYY-MM-DD` strings: turning them into a Date at the process's midnight
// would shift them by the time zone.
types.setTypeParser(types.builtins.DATE, (value) => value);

/**
 * pg emits 'error' on a client whose backend is terminated (a failover, pg_terminate_backend)
 * while no query of it runs, and an 'error' event nobody listens to ends the process. pg-pool
 * listens only while a client is idle and TypeORM only until it lets go of its query runner,
 * so with requests in flight such a client brought the whole service down. This listener is
 * always there; the dead client is no longer queryable, so its next query fails (a 503) and the
 * pool discards it on release. TypeORM's pool error handler already logs idle clients' errors.
 */
export class ResilientClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

/**
 * The service's connections (DATABASE_URL), or with `owner` the migrations' (the database's
 * owner, MIGRATIONS_DATABASE_URL), which tell the migrations the app role's name in a setting of
 * their session (refugio.app_role): a startup option only there, since a pooler in front of the
 * service's connections may refuse startup options.
 */
export function databaseOptions(
  database: DatabaseSettings,
  { owner = false }: { owner?: boolean } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url: owner ? database.migrationsUrl : database.url,
    migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    entities: [],
    extra: {
      max: database.poolSize,
      Client: ResilientClient,
      connectionTimeoutMillis: 5000,
      // Fail a request instead of queueing forever behind a dead connection.
      query_timeout: 30000,
      application_name: owner ? 'refugio-migrations' : 'refugio',
      ...(owner ? { options: `-c refugio.app_role=${database.appRole}` } : {}),
    },
  };
}
