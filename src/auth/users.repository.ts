import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Discipline, StaffRole } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { isPgError, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION } from '../common/pg-errors';

export interface User {
  id: string;
  username: string;
  role: StaffRole;
  houseId: string | null;
  discipline: Discipline | null;
  active: boolean;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

interface UserRow {
  id: string;
  username: string;
  role: StaffRole;
  house_id: string | null;
  discipline: Discipline | null;
  active: boolean;
  password_hash: string;
}

const COLUMNS = 'id, username, role, house_id, discipline, active, password_hash';

const toUser = (row: UserRow): UserWithHash => ({
  id: row.id,
  username: row.username,
  role: row.role,
  houseId: row.house_id,
  discipline: row.discipline,
  active: row.active,
  passwordHash: row.password_hash,
});

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findActiveByUsername(username: string): Promise<UserWithHash | null> {
    const rows = await this.dataSource.query<UserRow[]>(
      `SELECT ${COLUMNS} FROM users WHERE lower(username) = lower($1) AND active`,
      [username],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async insert(input: {
    username: string;
    passwordHash: string;
    role: StaffRole;
    houseId: string | null;
    discipline: Discipline | null;
  }): Promise<User> {
    try {
      const rows = await this.dataSource.query<UserRow[]>(
        `INSERT INTO users (username, password_hash, role, house_id, discipline)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [input.username, input.passwordHash, input.role, input.houseId, input.discipline],
      );
      const { passwordHash: _, ...user } = toUser(rows[0]);
      return user;
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION)) {
        throw new DomainError('CONFLICT', 'A user with this username already exists');
      }
      if (isPgError(error, PG_FOREIGN_KEY_VIOLATION)) {
        throw DomainError.validation('houseId', 'houseId must be an existing house');
      }
      throw error;
    }
  }
}
