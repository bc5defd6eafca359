import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { SettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({
    summary: 'The service settings a staff tool needs to show dates, terms and choices',
    description:
      'Any staff role. Read from the environment the service started with, so a page never ' +
      'keeps its own copy of the time zone, the stay term or the egress reasons.',
  })
  @ApiOkResponse({ type: SettingsDto })
  @ApiErrors(STAFF_ERRORS)
  get(): SettingsDto {
    return this.settings.current();
  }
}
