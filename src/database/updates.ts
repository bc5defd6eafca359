import { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE (with or without RETURNING). TypeORM's `query()` answers those as
 * `[rows, affectedCount]` rather than the rows an INSERT or SELECT gives; this reads both.
 */
export async function runUpdate<T = unknown>(
  executor: Pick<EntityManager, 'query'>,
  sql: string,
  parameters: unknown[],
): Promise<{ rows: T[]; count: number }> {
  const [rows, count] = await executor.query<[T[], number]>(sql, parameters);
  return { rows, count };
}
