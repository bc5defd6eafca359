import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrors, REFERRER_OR_STAFF_ERRORS, STAFF_ERRORS } from '../common/api-errors';
import type { FastifyReply } from 'fastify';
import { AllowReferrer, CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { CreateReferralDto } from './dto/create-referral.dto';
import {
  DEFAULT_PAGE_SIZE,
  EraseReferralDto,
  ListReferralsQueryDto,
  RejectReferralDto,
  WithdrawReferralDto,
} from './dto/referral-actions.dto';
import { ReferralDto, ReferralReceiptDto, ReferrerReferralDto } from './dto/referral.dto';
import { ReferralsService, ReferralView } from './referrals.service';

const EITHER_VIEW = {
  oneOf: [{ $ref: getSchemaPath(ReferralDto) }, { $ref: getSchemaPath(ReferrerReferralDto) }],
};

/** House coordinators see stays, not referrals: only officers, admins and referrers come here. */
@ApiTags('referrals')
@ApiBearerAuth()
@ApiSecurity('referrer')
@ApiExtraModels(ReferralDto, ReferrerReferralDto)
@Roles('admin', 'admission_officer')
@Controller('referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post()
  @ApiOperation({
    summary: 'Send a referral (referrer key, or staff recording a phone or paper referral)',
    description:
      'Idempotent: the same `externalReference` from the same caller with the same body ' +
      'answers 200 with the first answer; with a different body, 409 IDEMPOTENCY_MISMATCH. ' +
      'An `Idempotency-Key` header works the same way, per caller, for 24 hours.',
  })
  @ApiErrors(400, REFERRER_OR_STAFF_ERRORS, {
    403: 'FORBIDDEN: staff other than admission officers and admins',
    409: 'IDEMPOTENCY_MISMATCH: this externalReference or Idempotency-Key came before with another body',
    413: 'PAYLOAD_TOO_LARGE: a body over 1 MB',
    429: 'RATE_LIMITED: too many requests with this API key; see Retry-After',
  })
  @AllowReferrer()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Per caller, for 24 hours: a replay answers 200 with the first answer',
  })
  @ApiCreatedResponse({ type: ReferralReceiptDto })
  @ApiOkResponse({ type: ReferralReceiptDto, description: 'A replay of an earlier request' })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateReferralDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReferralReceiptDto> {
    const result = await this.referrals.create(actor, body, idempotencyKey);
    void reply.status(result.created ? 201 : 200);
    return result.receipt;
  }

  @Get()
  @ApiOperation({ summary: 'The queue (staff), or the caller’s own referrals (referrer)' })
  @ApiErrors(400, REFERRER_OR_STAFF_ERRORS, {
    403: 'FORBIDDEN: house coordinators (they see stays); search by name or document is for officers and admins',
    429: 'RATE_LIMITED: too many requests with this API key; see Retry-After',
  })
  @AllowReferrer()
  @ApiOkResponse({
    schema: { type: 'array', items: EITHER_VIEW },
    description:
      'Staff: full views in queue order (extreme, severe, moderate, then oldest). ' +
      'Referrers: their own, newest first. Paginated by limit (default 100, max 500) and offset; ' +
      'when more follow, a `Link: <…>; rel="next"` header gives the next page.',
  })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListReferralsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReferralView[]> {
    const { views, nextOffset } = await this.referrals.list(actor, query);
    if (nextOffset !== null) {
      const next = new URLSearchParams({
        ...(query.status ? { status: query.status } : {}),
        ...(query.q !== undefined ? { q: query.q } : {}),
        limit: String(query.limit ?? DEFAULT_PAGE_SIZE),
        offset: String(nextOffset),
      });
      void reply.header('Link', `</api/v1/referrals?${next.toString()}>; rel="next"`);
    }
    return views;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One referral: its status (referrer, own only) or the whole (staff)' })
  @ApiErrors(400, REFERRER_OR_STAFF_ERRORS, 404, {
    429: 'RATE_LIMITED: too many requests with this API key; see Retry-After',
  })
  @AllowReferrer()
  @ApiOkResponse({ schema: EITHER_VIEW, description: 'Referrers get the reduced view' })
  findOne(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReferralView> {
    return this.referrals.findOne(actor, id);
  }

  @Post(':id/withdraw')
  @ApiOperation({ summary: 'Withdraw a referral before admission (its referrer, or staff)' })
  @ApiErrors(400, REFERRER_OR_STAFF_ERRORS, 404, {
    409: 'INVALID_STATE: already admitted, exited, rejected or withdrawn',
    429: 'RATE_LIMITED: too many requests with this API key; see Retry-After',
  })
  @AllowReferrer()
  @HttpCode(200)
  @ApiOkResponse({ schema: EITHER_VIEW })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: WithdrawReferralDto,
  ): Promise<ReferralView> {
    return this.referrals.withdraw(actor, id, body?.reason);
  }

  @Post(':id/reject')
  @ApiOperation({ summary: 'Reject a referral with a reason (admission officer, admin)' })
  @ApiErrors(400, STAFF_ERRORS, 404, {
    409: 'INVALID_STATE: the referral is no longer received',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: ReferralDto })
  reject(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: RejectReferralDto,
  ): Promise<ReferralView> {
    return this.referrals.reject(actor, id, body.reason, body.reasonCode);
  }

  @Post(':id/erase')
  @ApiOperation({
    summary: 'Erase a case for good (admin): Ley 1581 de 2012',
    description:
      "Destroys the case's data key: every personal field of the referral, its people, notes, " +
      'goals, attention notes, legal processes, follow-up situations, egress notes and staff ' +
      'reasons becomes unreadable, in the database and in every backup of it. Counts, dates and ' +
      'the bed ledger remain, so reports do not change. Reads then show `erased: true` and ' +
      'personal fields as null. Erasing an erased case again answers 200 (idempotent). ' +
      'Audited as `referral.erased`, naming no person.',
  })
  @ApiErrors(400, STAFF_ERRORS, 404)
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: ReferralDto })
  erase(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() _body: EraseReferralDto,
  ): Promise<ReferralView> {
    return this.referrals.erase(actor, id);
  }
}
