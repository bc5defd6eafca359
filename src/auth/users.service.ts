import { Injectable } from '@nestjs/common';
import { Actor, HOUSE_BOUND_ROLES } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AuditService } from '../audit/audit.service';
import { CreateUserDto, UserDto } from './dto/create-user.dto';
import { hashPassword } from './password';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
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
}
