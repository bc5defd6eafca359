import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
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
import { CreateReferralDto, ProtectionOrderDto } from './dto/create-referral.dto';
import {
  DEFAULT_PAGE_SIZE,
  EraseReferralDto,
  ListReferralsQueryDto,
  RejectReferralDto,
  WithdrawReferralDto,
} from './dto/referral-actions.dto';
import { ReferralDto, ReferralReceiptDto, ReferrerReferralDto } from './dto/referral.dto';
import { ReferralsService, ReferralView } from './referrals.service';

/** A complete intake, as the contract shows it. */
const REFERRAL_EXAMPLE = {
  externalReference: 'CF-KENNEDY-2026-00123',
  protectionOrder: {
    number: '11001-CF-2026-00123',
    authorityType: 'comisaria_familia',
    authorityName: 'Comisaría de Familia Kennedy 1',
    issuedAt: '2026-11-20',
  },
  woman: {
    fullName: 'Ana María Rojas Pérez',
    documentType: 'CC',
    documentNumber: '52123456',
    birthDate: '1990-04-02',
    phone: '+57 300 123 4567',
  },
  dependants: [{ fullName: 'Sofía Rojas', birthDate: '2019-03-01', relationship: 'child' }],
  riskLevel: 'severe',
  needs: { wheelchairAccessible: false },
  notes: 'El niño menor tiene asma',
};

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
  @ApiBody({
    type: CreateReferralDto,
    examples: {
      'with its protection order (referrer or staff)': { value: REFERRAL_EXAMPLE },
      'provisional, before the order (staff only)': {
        value: {
          ...Object.fromEntries(
            Object.entries(REFERRAL_EXAMPLE).filter(([key]) => key !== 'protectionOrder'),
          ),
          externalReference: 'LLAMADA-2026-11-21-0310',
          provisional: { reason: 'Riesgo inminente; la comisaría expide la medida el lunes' },
        },
      },
    },
  })
  @ApiOperation({
    summary: 'Send a referral (referrer key, or staff recording a phone or paper referral)',
    description:
      'Idempotent: the same `externalReference` from the same caller with the same body ' +
      'answers 200 with the first answer; with a different body, 409 IDEMPOTENCY_MISMATCH. ' +
      'An `Idempotency-Key` header works the same way, per caller, for 24 hours. Staff may ' +
      'send `provisional: { reason }` instead of `protectionOrder` (Ley 2215 de 2022, art. 6 ' +
      'par. 1): a provisional admission whose order is attached later; from a referrer it is ' +
      '400 VALIDATION_FAILED, and so is a body with both or neither.',
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

  @Post(':id/protection-order')
  @ApiBody({
    type: ProtectionOrderDto,
    examples: {
      'the order issued after a provisional admission': {
        value: {
          number: '11001-CF-2026-00456',
          authorityType: 'comisaria_familia',
          authorityName: 'Comisaría de Familia Suba 2',
          issuedAt: '2026-11-23',
        },
      },
    },
  })
  @Roles('admin', 'admission_officer', 'house_coordinator')
  @ApiOperation({
    summary: 'Attach the protection order to a provisional referral (staff)',
    description:
      'For a referral recorded with `provisional` (Ley 2215 de 2022, art. 6 par. 1): the order ' +
      'is checked as at intake (`issuedAt` not in the future). Its stay stops being ' +
      '`provisional` and no `order_overdue` alert is raised any more. A house coordinator may ' +
      'attach it only for a family of her house. A referral that already has its order (or ' +
      'was rejected or withdrawn) answers 409 INVALID_STATE.',
  })
  @ApiErrors(400, STAFF_ERRORS, 404, {
    403: 'FORBIDDEN: roles other than admins, admission officers and house coordinators',
    409: 'INVALID_STATE: the referral is not provisional (it has its order), or was rejected or withdrawn',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: ReferralDto, description: 'The referral with its order' })
  attachProtectionOrder(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ProtectionOrderDto,
  ): Promise<ReferralView> {
    return this.referrals.attachProtectionOrder(actor, id, body);
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
