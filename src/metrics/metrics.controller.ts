import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { AllowMetricsToken, Roles } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Roles('admin')
  @AllowMetricsToken()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Metrics in Prometheus text format (outside /api/v1)',
    description:
      'For an admin bearer token, or `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN ' +
      'is set. Request latency by route pattern, beds per house code, BullMQ jobs per queue ' +
      'and state, the outbox backlog and its lag, the PostgreSQL pool, and the process. No ' +
      'label ever holds a person, a house name or address, or an id.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus exposition format 0.0.4',
    schema: {
      type: 'string',
      example: 'refugio_house_occupied_beds{house="CR-01"} 37\n',
    },
  })
  @ApiUnauthorizedResponse({ description: '`UNAUTHENTICATED`: no token, or a wrong one' })
  @ApiForbiddenResponse({
    description: '`FORBIDDEN`: a staff token of another role, or a referrer key',
  })
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
