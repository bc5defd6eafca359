import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { PiiCipher } from '../common/pii-cipher';
import { Config } from '../config/config';
import { AuditService } from '../audit/audit.service';
import { callbackUrlProblem, generateWebhookSecret } from '../callbacks/callback-signature';
import { generateApiKey, hashApiKey } from './api-keys';
import {
  CreatedReferrerDto,
  CreateReferrerDto,
  ReferrerDto,
  UpdatedReferrerDto,
  UpdateReferrerDto,
} from './dto/create-referrer.dto';
import { Referrer, ReferrersRepository } from './referrers.repository';

const toDto = (r: Referrer): ReferrerDto => ({
  id: r.id,
  name: r.name,
  authorityType: r.authorityType,
  revokedAt: r.revokedAt,
  callbackUrl: r.callbackUrl,
  callbackDisabledAt: r.callbackDisabledAt,
});

interface NewCallback {
  stored: { url: string; secretCipher: string };
  webhookSecret: string;
}

@Injectable()
export class ReferrersService {
  constructor(
    private readonly referrers: ReferrersRepository,
    private readonly audit: AuditService,
    private readonly cipher: PiiCipher,
    private readonly config: Config,
  ) {}

  async create(
    actor: Extract<Actor, { kind: 'staff' }>,
    input: CreateReferrerDto,
  ): Promise<CreatedReferrerDto> {
    const callback = input.callbackUrl === undefined ? null : this.newCallback(input.callbackUrl);
    const apiKey = generateApiKey();
    const referrer = await this.referrers.insert({
      name: input.name.trim(),
      authorityType: input.authorityType,
      keyHash: hashApiKey(apiKey),
      createdBy: actor.id,
      callback: callback?.stored ?? null,
    });
    await this.audit.record(actor, 'referrer.created', 'referrer', referrer.id, {
      withCallback: callback !== null,
    });
    return {
      ...toDto(referrer),
      apiKey,
      ...(callback ? { webhookSecret: callback.webhookSecret } : {}),
    };
  }

  async update(actor: Actor, id: string, input: UpdateReferrerDto): Promise<UpdatedReferrerDto> {
    const callback =
      input.callbackUrl === undefined || input.callbackUrl === null
        ? input.callbackUrl
        : this.newCallback(input.callbackUrl);
    const referrer = await this.referrers.update(id, {
      name: input.name?.trim(),
      callback: callback === undefined ? undefined : (callback?.stored ?? null),
    });
    if (!referrer) {
      throw DomainError.notFound('Referrer');
    }
    await this.audit.record(actor, 'referrer.updated', 'referrer', id, {
      renamed: input.name !== undefined,
      callback: callback === undefined ? 'unchanged' : callback === null ? 'removed' : 'set',
    });
    return { ...toDto(referrer), ...(callback ? { webhookSecret: callback.webhookSecret } : {}) };
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

  /** A checked URL and a fresh secret; the secret is kept encrypted, since signing needs it. */
  private newCallback(url: string): NewCallback {
    const problem = callbackUrlProblem(url, this.config.app.production);
    if (problem !== null) {
      throw DomainError.validation('callbackUrl', problem);
    }
    const webhookSecret = generateWebhookSecret();
    return { stored: { url, secretCipher: this.cipher.encrypt(webhookSecret) }, webhookSecret };
  }
}
