import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { CarePlansService } from './care-plans.service';
import { CASEWORK_WRITERS } from './casework.roles';
import { CarePlanDto, CreateGoalDto, GoalDto, UpdateGoalDto } from './dto/care-plan.dto';

@ApiTags('casework')
@ApiBearerAuth()
@Controller()
export class CarePlansController {
  constructor(private readonly plans: CarePlansService) {}

  @Get('stays/:id/plan')
  @ApiOkResponse({ type: CarePlanDto })
  plan(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<CarePlanDto> {
    return this.plans.plan(actor, id);
  }

  @Post('stays/:id/plan/goals')
  @Roles(...CASEWORK_WRITERS)
  @ApiCreatedResponse({ type: GoalDto, description: 'Only on an active stay (else 409)' })
  addGoal(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateGoalDto,
  ): Promise<GoalDto> {
    return this.plans.addGoal(actor, id, body);
  }

  @Patch('goals/:id')
  @Roles(...CASEWORK_WRITERS)
  @ApiOkResponse({ type: GoalDto, description: 'Only on an active stay (else 409)' })
  updateGoal(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateGoalDto,
  ): Promise<GoalDto> {
    return this.plans.updateGoal(actor, id, body);
  }
}
