import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
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
  @ApiUnauthorizedResponse({ description: 'No valid staff token (UNAUTHENTICATED)' })
  @ApiForbiddenResponse({ description: 'A referrer key (FORBIDDEN): settings are for staff' })
  get(): SettingsDto {
    return this.settings.current();
  }
}
