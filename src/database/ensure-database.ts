import { Client } from 'pg';

/**
 * Outside production, creates the database named in DATABASE_URL when it does not exist yet, so
 * that a fresh clone runs against a stock local PostgreSQL with one command. In production the
 * database is the operator's to create, with the owner and settings they choose.
 */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) {
    return false;
  }
  const probe = new Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') {
      return false; // Not "database does not exist": let the real start-up report it.
    }
  } finally {
    await probe.end().catch(() => undefined);
  }
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') {
      return false; // Another instance created it first.
    }
    throw error;
  } finally {
    await admin.end();
  }
}
