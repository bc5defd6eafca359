import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { HearingAlertsRepository } from './hearing-alerts.repository';
import { OrderAlertsRepository } from './order-alerts.repository';

/**
 * Alerts are raised by whoever records their source, in that source's transaction (the
 * follow-ups queue, casework), through the exported repository; people read and acknowledge
 * them here.
 */
@Module({
  controllers: [AlertsController],
  providers: [AlertsRepository, AlertsService, HearingAlertsRepository, OrderAlertsRepository],
  exports: [AlertsRepository, HearingAlertsRepository, OrderAlertsRepository],
})
export class AlertsModule {}
