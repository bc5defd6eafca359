import { Module } from '@nestjs/common';
import { HousesModule } from '../houses/houses.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [HousesModule, OccupancyModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
})
export class ReportsModule {}
