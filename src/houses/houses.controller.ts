import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
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
import {
  BedStatusDto,
  CreateHouseDto,
  CreateRoomDto,
  HouseDto,
  RoomDto,
  UpdateBedDto,
} from './dto/house.dto';
import { HousesService } from './houses.service';

@ApiTags('houses')
@ApiBearerAuth()
@Controller()
export class HousesController {
  constructor(private readonly houses: HousesService) {}

  @Get('houses')
  @ApiOperation({ summary: 'List houses with their capacity (beds in service)' })
  @ApiErrors(STAFF_ERRORS)
  @ApiOkResponse({ type: [HouseDto], description: 'A coordinator sees only its own house' })
  list(@CurrentActor() actor: Actor): Promise<HouseDto[]> {
    return this.houses.list(actor);
  }

  @Post('houses')
  @ApiOperation({ summary: 'Create a house (admin)' })
  @ApiErrors(400, STAFF_ERRORS, { 409: 'CONFLICT: a house with this code exists' })
  @Roles('admin')
  @ApiCreatedResponse({ type: HouseDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateHouseDto): Promise<HouseDto> {
    return this.houses.create(actor, body.code, body.name);
  }

  @Get('houses/:id/rooms')
  @ApiOperation({ summary: 'A house’s rooms and beds, with who holds each bed now' })
  @ApiErrors(400, STAFF_ERRORS, 404)
  @ApiOkResponse({ type: [RoomDto] })
  rooms(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<RoomDto[]> {
    return this.houses.rooms(actor, id);
  }

  @Post('houses/:id/rooms')
  @ApiOperation({ summary: 'Add a room with a number of beds to a house (admin)' })
  @ApiErrors(400, STAFF_ERRORS, 404, { 409: 'CONFLICT: the house has a room with this name' })
  @Roles('admin')
  @ApiCreatedResponse({ type: RoomDto })
  addRoom(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateRoomDto,
  ): Promise<RoomDto> {
    return this.houses.addRoom(actor, id, body);
  }

  @Patch('beds/:id')
  @ApiOperation({
    summary: 'Take a bed out of service or put it back (admin, admission officer)',
    description: 'A reason is required both ways; capacity follows the beds in service.',
  })
  @ApiErrors(400, STAFF_ERRORS, 404, {
    409: 'BED_OCCUPIED: someone holds the bed; egress or transfer her first',
  })
  @Roles('admin', 'admission_officer')
  @ApiOkResponse({ type: BedStatusDto })
  updateBed(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateBedDto,
  ): Promise<BedStatusDto> {
    return this.houses.setBedService(actor, id, body.inService, body.reason);
  }
}
