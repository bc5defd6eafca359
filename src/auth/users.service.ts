import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, Discipline, HOUSE_BOUND_ROLES, StaffRole } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AuditDetails, AuditService } from '../audit/audit.service';
import { CreateUserDto, UserDto } from './dto/create-user.dto';
import { TemporaryPasswordDto, UpdateUserDto, UserAccountDto } from './dto/update-user.dto';
import { generateTemporaryPassword, hashPassword } from './password';
import { SessionsRepository } from './sessions.repository';
import { User, UsersRepository } from './users.repository';

const toAccount = (user: User): UserAccountDto => ({
  id: user.id,
  username: user.username,
  role: user.role,
  houseId: user.houseId,
  discipline: user.discipline,
  active: user.active,
  passwordChangeRequired: user.passwordChangeRequired,
  createdAt: user.createdAt,
});

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: CreateUserDto): Promise<UserDto> {
    if (!HOUSE_BOUND_ROLES.includes(input.role) && input.houseId !== undefined) {
      throw DomainError.validation(
        'houseId',
        'houseId is only for house_coordinator and team_member',
      );
    }
    if (input.role !== 'team_member' && input.discipline !== undefined) {
      throw DomainError.validation('discipline', 'discipline is only for team_member');
    }
    const user = await this.users.insert({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      houseId: input.houseId ?? null,
      discipline: input.discipline ?? null,
    });
    await this.audit.record(actor, 'user.created', 'user', user.id, {
      role: user.role,
      discipline: user.discipline,
    });
    return {
      id: user.id,
      username: user.username,
      role: user.role,
      houseId: user.houseId,
      discipline: user.discipline,
    };
  }

  async list(): Promise<UserAccountDto[]> {
    return (await this.users.findAll()).map(toAccount);
  }

  /**
   * Role, house and active in one transaction. A change that could leave no active admin (a
   * demotion or a disabling) first locks every active admin row, so that the check and the
   * change cannot interleave with another such change. Disabling ends her sessions in the same
   * transaction.
   */
  async update(actor: Actor, id: string, input: UpdateUserDto): Promise<UserAccountDto> {
    if (
      input.role === undefined &&
      input.houseId === undefined &&
      input.discipline === undefined &&
      input.active === undefined
    ) {
      throw DomainError.validation(
        'body',
        'Give at least one of role, houseId, discipline, active',
      );
    }
    const mayRemoveAdmin =
      input.active === false || (input.role !== undefined && input.role !== 'admin');
    return this.dataSource.transaction(async (manager) => {
      const activeAdmins = mayRemoveAdmin ? await this.users.lockActiveAdmins(manager) : [];
      const current = await this.users.findForUpdate(manager, id);
      if (!current) {
        throw DomainError.notFound('User');
      }
      const role = input.role ?? current.role;
      const active = input.active ?? current.active;
      const houseId = this.houseAfter(current, role, input.houseId);
      const discipline = this.disciplineAfter(current, role, input.discipline);
      const wasActiveAdmin = current.role === 'admin' && current.active;
      if (
        wasActiveAdmin &&
        (role !== 'admin' || !active) &&
        activeAdmins.every((adminId) => adminId === id)
      ) {
        throw new DomainError(
          'CONFLICT',
          'The last active admin cannot be disabled or given another role',
        );
      }
      const updated = await this.users.update(manager, id, { role, houseId, discipline, active });
      const details: AuditDetails = {};
      if (role !== current.role) {
        details.role = role;
        details.previousRole = current.role;
      }
      if (houseId !== current.houseId) {
        details.houseId = houseId;
        details.previousHouseId = current.houseId;
      }
      if (discipline !== current.discipline) {
        details.discipline = discipline;
        details.previousDiscipline = current.discipline;
      }
      if (active !== current.active) {
        details.active = active;
      }
      if (current.active && !active) {
        details.sessionsEnded = await this.sessions.endAllOfUser(manager, id, 'user_disabled');
      }
      await this.audit.record(actor, 'user.updated', 'user', id, details, manager);
      return toAccount(updated);
    });
  }

  /**
   * A one-time password, shown once; her next login must replace it. Every session she has
   * ends, since a reset usually means the old password may be known to someone else.
   */
  async resetPassword(actor: Actor, id: string): Promise<TemporaryPasswordDto> {
    const temporaryPassword = generateTemporaryPassword();
    const passwordHash = await hashPassword(temporaryPassword);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.setPassword(manager, id, passwordHash, true);
      if (!user) {
        throw DomainError.notFound('User');
      }
      const sessionsEnded = await this.sessions.endAllOfUser(manager, id, 'password_reset');
      await this.audit.record(actor, 'user.password_reset', 'user', id, { sessionsEnded }, manager);
      return { id: user.id, username: user.username, temporaryPassword };
    });
  }

  /**
   * The house after a change: the one given (null takes it away), else hers when the new role
   * keeps one; a house-bound role without a house, or a house on another role, is refused.
   */
  private houseAfter(
    current: User,
    role: StaffRole,
    requested: string | null | undefined,
  ): string | null {
    const bound = HOUSE_BOUND_ROLES.includes(role);
    const houseId = requested !== undefined ? requested : bound ? current.houseId : null;
    if (bound && houseId === null) {
      throw DomainError.validation('houseId', `houseId is required for ${role}`);
    }
    if (!bound && houseId !== null) {
      throw DomainError.validation(
        'houseId',
        'houseId is only for house_coordinator and team_member',
      );
    }
    return houseId;
  }

  /** The same rule for the discipline, which only team members have. */
  private disciplineAfter(
    current: User,
    role: StaffRole,
    requested: Discipline | null | undefined,
  ): Discipline | null {
    const bound = role === 'team_member';
    const discipline = requested !== undefined ? requested : bound ? current.discipline : null;
    if (bound && discipline === null) {
      throw DomainError.validation('discipline', 'discipline is required for team_member');
    }
    if (!bound && discipline !== null) {
      throw DomainError.validation('discipline', 'discipline is only for team_member');
    }
    return discipline;
  }
}
