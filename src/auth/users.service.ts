import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
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
    if (input.role !== 'house_coordinator' && input.houseId !== undefined) {
      throw DomainError.validation('houseId', 'houseId is only for house_coordinator');
    }
    const user = await this.users.insert({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      houseId: input.houseId ?? null,
    });
    await this.audit.record(actor, 'user.created', 'user', user.id, { role: user.role });
    return { id: user.id, username: user.username, role: user.role, houseId: user.houseId };
  }
}
