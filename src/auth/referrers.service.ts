import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AuditService } from '../audit/audit.service';
import { generateApiKey, hashApiKey } from './api-keys';
import { CreatedReferrerDto, CreateReferrerDto, ReferrerDto } from './dto/create-referrer.dto';
import { Referrer, ReferrersRepository } from './referrers.repository';

const toDto = (r: Referrer): ReferrerDto => ({
  id: r.id,
  name: r.name,
  authorityType: r.authorityType,
  revokedAt: r.revokedAt,
});

@Injectable()
export class ReferrersService {
  constructor(
    private readonly referrers: ReferrersRepository,
    private readonly audit: AuditService,
  ) {}

  async create(
    actor: Extract<Actor, { kind: 'staff' }>,
    input: CreateReferrerDto,
  ): Promise<CreatedReferrerDto> {
    const apiKey = generateApiKey();
    const referrer = await this.referrers.insert({
      name: input.name.trim(),
      authorityType: input.authorityType,
      keyHash: hashApiKey(apiKey),
      createdBy: actor.id,
    });
    await this.audit.record(actor, 'referrer.created', 'referrer', referrer.id);
    return { ...toDto(referrer), apiKey };
  }

  async list(): Promise<ReferrerDto[]> {
    return (await this.referrers.findAll()).map(toDto);
  }

  async revoke(actor: Actor, id: string): Promise<ReferrerDto> {
    const referrer = await this.referrers.revoke(id);
    if (!referrer) {
      throw DomainError.notFound('Referrer');
    }
    await this.audit.record(actor, 'referrer.revoked', 'referrer', id);
    return toDto(referrer);
  }
}
