import { Module } from '@nestjs/common';
import { OccupancyController } from './occupancy.controller';
import { OccupancyRepository } from './occupancy.repository';
import { OccupancyService } from './occupancy.service';

@Module({
  controllers: [OccupancyController],
  providers: [OccupancyRepository, OccupancyService],
})
export class OccupancyModule {}
