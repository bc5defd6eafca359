import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Discipline, StaffRole } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { isPgError, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION } from '../common/pg-errors';
import { runUpdate } from '../database/updates';

export interface User {
  id: string;
  username: string;
  role: StaffRole;
  houseId: string | null;
  discipline: Discipline | null;
  active: boolean;
  passwordChangeRequired: boolean;
  createdAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

const COLUMNS = `id, username, role, house_id AS "houseId", discipline, active,
  password_change_required AS "passwordChangeRequired", created_at AS "createdAt"`;

function houseMustExist(error: unknown): never {
  if (isPgError(error, PG_FOREIGN_KEY_VIOLATION)) {
    throw DomainError.validation('houseId', 'houseId must be an existing house');
  }
  throw error;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** By `usernameKey` (username.ts): plain ASCII, already in lower case. */
  async findActiveByUsernameKey(key: string): Promise<UserWithHash | null> {
    const rows = await this.dataSource.query<UserWithHash[]>(
      `SELECT ${COLUMNS}, password_hash AS "passwordHash"
       FROM users WHERE lower(username) = $1 AND active`,
      [key],
    );
    return rows[0] ?? null;
  }

  async findActiveWithHashById(id: string): Promise<UserWithHash | null> {
    const rows = await this.dataSource.query<UserWithHash[]>(
      `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users WHERE id = $1 AND active`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findAll(): Promise<User[]> {
    return this.dataSource.query<User[]>(
      `SELECT ${COLUMNS} FROM users ORDER BY lower(username), id`,
    );
  }

  async insert(input: {
    username: string;
    passwordHash: string;
    role: StaffRole;
    houseId: string | null;
    discipline: Discipline | null;
  }): Promise<User> {
    try {
      const rows = await this.dataSource.query<User[]>(
        `INSERT INTO users (username, password_hash, role, house_id, discipline)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [input.username, input.passwordHash, input.role, input.houseId, input.discipline],
      );
      return rows[0];
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION)) {
        throw new DomainError('CONFLICT', 'A user with this username already exists');
      }
      return houseMustExist(error);
    }
  }

  /**
   * Locks every active admin row, in id order so that two transactions never deadlock, and
   * answers their ids. Anything that could take an admin away takes this lock first: of two
   * admins disabling each other at once, the second waits, then no longer sees the first's
   * target among the active admins, and finds its own target the last one.
   */
  async lockActiveAdmins(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
    );
    return rows.map((row) => row.id);
  }

  async findForUpdate(manager: EntityManager, id: string): Promise<User | null> {
    const rows = await manager.query<User[]>(
      `SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async update(
    manager: EntityManager,
    id: string,
    change: {
      role: StaffRole;
      houseId: string | null;
      discipline: Discipline | null;
      active: boolean;
    },
  ): Promise<User> {
    try {
      const { rows } = await runUpdate<User>(
        manager,
        `UPDATE users SET role = $2, house_id = $3, discipline = $4, active = $5 WHERE id = $1
         RETURNING ${COLUMNS}`,
        [id, change.role, change.houseId, change.discipline, change.active],
      );
      return rows[0];
    } catch (error) {
      return houseMustExist(error);
    }
  }

  /** Null when the user does not exist. */
  async setPassword(
    manager: EntityManager,
    id: string,
    passwordHash: string,
    changeRequired: boolean,
  ): Promise<User | null> {
    const { rows } = await runUpdate<User>(
      manager,
      `UPDATE users SET password_hash = $2, password_change_required = $3 WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id, passwordHash, changeRequired],
    );
    return rows[0] ?? null;
  }
}
