import { Module } from '@nestjs/common';
import { HousesModule } from '../houses/houses.module';
import { OccupancyController } from './occupancy.controller';
import { OccupancyRepository } from './occupancy.repository';
import { OccupancyService } from './occupancy.service';

@Module({
  imports: [HousesModule],
  controllers: [OccupancyController],
  providers: [OccupancyRepository, OccupancyService],
  // The metrics read the occupancy per house too.
  exports: [OccupancyRepository],
})
export class OccupancyModule {}
