import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../common/actor';
import { CurrentActor, Roles } from './auth.decorators';
import { CreatedReferrerDto, CreateReferrerDto, ReferrerDto } from './dto/create-referrer.dto';
import { ReferrersService } from './referrers.service';

@ApiTags('referrers')
@ApiBearerAuth()
@Roles('admin')
@Controller('referrers')
export class ReferrersController {
  constructor(private readonly referrers: ReferrersService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedReferrerDto, description: 'The API key is shown only here' })
  create(
    @CurrentActor() actor: Extract<Actor, { kind: 'staff' }>,
    @Body() body: CreateReferrerDto,
  ): Promise<CreatedReferrerDto> {
    return this.referrers.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: [ReferrerDto] })
  list(): Promise<ReferrerDto[]> {
    return this.referrers.list();
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: ReferrerDto })
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReferrerDto> {
    return this.referrers.revoke(actor, id);
  }
}
