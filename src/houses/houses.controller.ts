import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: [HouseDto], description: 'A coordinator sees only its own house' })
  list(@CurrentActor() actor: Actor): Promise<HouseDto[]> {
    return this.houses.list(actor);
  }

  @Post('houses')
  @Roles('admin')
  @ApiCreatedResponse({ type: HouseDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateHouseDto): Promise<HouseDto> {
    return this.houses.create(actor, body.code, body.name);
  }

  @Get('houses/:id/rooms')
  @ApiOkResponse({ type: [RoomDto] })
  rooms(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<RoomDto[]> {
    return this.houses.rooms(actor, id);
  }

  @Post('houses/:id/rooms')
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
