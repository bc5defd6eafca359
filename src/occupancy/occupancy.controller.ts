import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import {
  OccupancyDto,
  OccupancyHistoryDto,
  OccupancyHistoryQueryDto,
  OccupancyQueryDto,
} from './dto/occupancy.dto';
import { OccupancyService } from './occupancy.service';

@ApiTags('occupancy')
@ApiBearerAuth()
@Controller('occupancy')
export class OccupancyController {
  constructor(private readonly occupancy: OccupancyService) {}

  @Get()
  @ApiOkResponse({ type: OccupancyDto, description: 'Coordinators see only their house' })
  current(@CurrentActor() actor: Actor, @Query() query: OccupancyQueryDto): Promise<OccupancyDto> {
    return this.occupancy.current(actor, query.houseId);
  }

  @Get('history')
  @ApiOkResponse({
    type: OccupancyHistoryDto,
    description: 'People housed at the last instant of each day (bed-nights) and beds in service',
  })
  history(
    @CurrentActor() actor: Actor,
    @Query() query: OccupancyHistoryQueryDto,
  ): Promise<OccupancyHistoryDto> {
    return this.occupancy.history(actor, query.from, query.to, query.houseId);
  }
}
