import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { Roles } from '../auth/auth.decorators';
import { AuditService } from './audit.service';
import { AuditEventDto, AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The audit trail of one resource (admin): who did what, when' })
  @ApiErrors(400, STAFF_ERRORS)
  @ApiOkResponse({ type: [AuditEventDto] })
  find(@Query() query: AuditQueryDto): Promise<AuditEventDto[]> {
    return this.audit.findByResource(query.resourceId);
  }
}
