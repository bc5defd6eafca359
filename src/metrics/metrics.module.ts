import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * GET /metrics. A registry per application rather than prom-client's global one, so that
 * several applications in one process (the tests) each count their own.
 */
@Module({
  imports: [OccupancyModule],
  controllers: [MetricsController],
  providers: [{ provide: Registry, useFactory: () => new Registry() }, HttpMetrics, MetricsService],
  exports: [HttpMetrics],
})
export class MetricsModule {}
