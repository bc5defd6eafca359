import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { AttentionsService } from './attentions.service';
import { CASEWORK_WRITERS } from './casework.roles';
import { AttentionDto, AttentionsQueryDto, CreateAttentionDto } from './dto/attention.dto';

@ApiTags('casework')
@ApiBearerAuth()
@Controller('stays/:id/attentions')
export class AttentionsController {
  constructor(private readonly attentions: AttentionsService) {}

  @Post()
  @Roles(...CASEWORK_WRITERS)
  @ApiOperation({ summary: 'Record an attention given to the family of a stay' })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such stay, or not one the caller may see' })
  @ApiCreatedResponse({ type: AttentionDto })
  record(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateAttentionDto,
  ): Promise<AttentionDto> {
    return this.attentions.record(actor, id, body);
  }

  @Get()
  @ApiOperation({ summary: 'The attentions given during a stay' })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such stay, or not one the caller may see' })
  @ApiOkResponse({ type: [AttentionDto], description: 'Newest first' })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: AttentionsQueryDto,
  ): Promise<AttentionDto[]> {
    return this.attentions.list(actor, id, query);
  }
}
