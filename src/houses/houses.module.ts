import { Module } from '@nestjs/common';
import { HousesController } from './houses.controller';
import { HousesRepository } from './houses.repository';
import { HousesService } from './houses.service';

@Module({
  controllers: [HousesController],
  providers: [HousesRepository, HousesService],
  exports: [HousesRepository],
})
export class HousesModule {}
