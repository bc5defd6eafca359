import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Actor, StaffRole } from '../common/actor';

export const IS_PUBLIC = 'refugio:public';
export const ROLES = 'refugio:roles';
export const REFERRER_ALLOWED = 'refugio:referrer-allowed';
export const PENDING_PASSWORD_ALLOWED = 'refugio:pending-password-allowed';
export const METRICS_TOKEN_ALLOWED = 'refugio:metrics-token-allowed';

/** No authentication at all (login, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Staff roles that may call; without it any authenticated staff member may. */
export const Roles = (...roles: StaffRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);

/** Referrers (X-Api-Key) may call this route too; everywhere else their key is refused. */
export const AllowReferrer = (): MethodDecorator & ClassDecorator =>
  SetMetadata(REFERRER_ALLOWED, true);

/**
 * Staff whose password was reset may call this route before setting a new one (changing it,
 * logging out); every other route answers them 403 PASSWORD_CHANGE_REQUIRED.
 */
export const AllowPendingPasswordChange = (): MethodDecorator & ClassDecorator =>
  SetMetadata(PENDING_PASSWORD_ALLOWED, true);

/**
 * `Authorization: Bearer <METRICS_TOKEN>` may call this route too (when METRICS_TOKEN is set),
 * besides the staff roles @Roles names: a Prometheus needs no staff account.
 */
export const AllowMetricsToken = (): MethodDecorator & ClassDecorator =>
  SetMetadata(METRICS_TOKEN_ALLOWED, true);

export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) {
    throw new Error('CurrentActor used on a public route');
  }
  return actor;
});
