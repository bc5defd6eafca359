import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import {
  CreateStayDto,
  EgressDto,
  ExtendStayDto,
  PlacementOptionDto,
  StayDto,
  StaysQueryDto,
  TransferStayDto,
} from './dto/stay.dto';
import { AdmissionService } from './admission.service';
import { EgressService } from './egress.service';
import { StayService } from './stay.service';

@ApiTags('stays')
@ApiBearerAuth()
@Controller()
export class StaysController {
  constructor(
    private readonly admission: AdmissionService,
    private readonly stays: StayService,
    private readonly egressService: EgressService,
  ) {}

  @Get('referrals/:id/placement-options')
  @Roles('admission_officer', 'admin')
  @ApiOkResponse({
    type: [PlacementOptionDto],
    description: 'Houses able to take the family, best first',
  })
  placementOptions(@Param('id', ParseUuidPipe) id: string): Promise<PlacementOptionDto[]> {
    return this.admission.placementOptions(id);
  }

  @Post('stays')
  @Roles('admission_officer', 'admin')
  @ApiCreatedResponse({ type: StayDto })
  admit(@CurrentActor() actor: StaffActor, @Body() body: CreateStayDto): Promise<StayDto> {
    return this.admission.admit(actor, body);
  }

  @Get('stays')
  @ApiOkResponse({ type: [StayDto], description: 'Coordinators see only their house' })
  list(@CurrentActor() actor: Actor, @Query() query: StaysQueryDto): Promise<StayDto[]> {
    return this.stays.list(actor, query);
  }

  @Get('stays/:id')
  @ApiOkResponse({ type: StayDto })
  find(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<StayDto> {
    return this.stays.find(actor, id);
  }

  @Post('stays/:id/extensions')
  @HttpCode(200)
  @Roles('house_coordinator', 'admin')
  @ApiOkResponse({ type: StayDto })
  extend(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ExtendStayDto,
  ): Promise<StayDto> {
    return this.stays.extend(actor, id, body);
  }

  @Post('stays/:id/transfer')
  @HttpCode(200)
  @Roles('admission_officer', 'admin')
  @ApiOkResponse({ type: StayDto })
  transfer(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: TransferStayDto,
  ): Promise<StayDto> {
    return this.stays.transfer(actor, id, body);
  }

  @Post('stays/:id/egress')
  @HttpCode(200)
  @Roles('admission_officer', 'house_coordinator', 'admin')
  @ApiOkResponse({ type: StayDto })
  egress(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: EgressDto,
  ): Promise<StayDto> {
    return this.egressService.egress(actor, id, body);
  }
}
