import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import { IndicatorReportDto, IndicatorsQueryDto } from './dto/indicators.dto';
import { ReportsService } from './reports.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'admission_officer', 'house_coordinator', 'analyst')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('indicators')
  @ApiOperation({
    summary: 'Accountability indicators of a period, per house or the whole network',
    description:
      'Calendar days of TZ_SERVICE, both ends included. Analysts, and anyone asking ' +
      'audience=public, get counts from 1 to REPORT_MIN_CELL − 1 as null (listed in ' +
      '`suppressed`), a second cell of the same breakdown withheld with them, and rates and ' +
      'medians over fewer than REPORT_MIN_CELL people as null. format=csv (UTF-8 with a BOM) ' +
      'and format=xlsx (sheet "Indicadores") carry the same rows, `indicador,clave,valor`, ' +
      'under a header naming the period, the house and the suppression.',
  })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiOkResponse({ type: IndicatorReportDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED: a date that is not a real YYYY-MM-DD, to before from, more than 3660 days, an unknown format or audience, an unknown parameter',
    ...STAFF_ERRORS,
    404: 'NOT_FOUND: no such house, or (coordinators) another house',
  })
  async indicators(
    @CurrentActor() actor: Actor,
    @Query() query: IndicatorsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IndicatorReportDto | Buffer> {
    const format = query.format ?? 'json';
    if (format === 'json') {
      return this.reports.indicators(actor, query);
    }
    const file = await this.reports.export(actor, query, format);
    void reply
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
      .header('Content-Disposition', `attachment; filename="${file.name}"`);
    return file.body;
  }
}
