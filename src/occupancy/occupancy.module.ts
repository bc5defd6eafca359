import { Module } from '@nestjs/common';
import { HousesModule } from '../houses/houses.module';
import { OccupancyController } from './occupancy.controller';
import { OccupancyRepository } from './occupancy.repository';
import { OccupancyService } from './occupancy.service';

@Module({
  imports: [HousesModule],
  controllers: [OccupancyController],
  providers: [OccupancyRepository, OccupancyService],
  // Reports count bed-nights with the same history query; metrics read occupancy per house.
  exports: [OccupancyRepository],
})
export class OccupancyModule {}
