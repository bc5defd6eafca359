import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { CurrentActor } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import {
  OccupancyDto,
  OccupancyForecastDto,
  OccupancyForecastQueryDto,
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
  @ApiOperation({ summary: 'Occupancy now: capacity, occupied, free and out of service, by house' })
  @ApiErrors(400, STAFF_ERRORS, 404)
  @ApiOkResponse({ type: OccupancyDto, description: 'Coordinators see only their house' })
  current(@CurrentActor() actor: Actor, @Query() query: OccupancyQueryDto): Promise<OccupancyDto> {
    return this.occupancy.current(actor, query.houseId);
  }

  @Get('history')
  @ApiOperation({ summary: 'Occupancy by day over a range of calendar dates in TZ_SERVICE' })
  @ApiErrors(400, STAFF_ERRORS, 404)
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

  @Get('forecast')
  @ApiOperation({
    summary: 'Places expected free each of the next days if every active stay ends at its term',
  })
  @ApiOkResponse({ type: OccupancyForecastDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED: days not a whole number from 1 to 180, a malformed houseId, an unknown parameter',
    ...STAFF_ERRORS,
    404: 'NOT_FOUND: no such house, or (coordinators and team members) another house',
  })
  forecast(
    @CurrentActor() actor: Actor,
    @Query() query: OccupancyForecastQueryDto,
  ): Promise<OccupancyForecastDto> {
    return this.occupancy.forecast(actor, query.days ?? 60, query.houseId);
  }
}
