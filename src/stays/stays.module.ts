import { Module } from '@nestjs/common';
import { StayFamilyRepository } from './stay-family.repository';
import { StayFamilyService } from './stay-family.service';
import { StaysController } from './stays.controller';
import { StaysRepository } from './stays.repository';
import { StaysService } from './stays.service';

@Module({
  controllers: [StaysController],
  providers: [StaysRepository, StaysService, StayFamilyRepository, StayFamilyService],
  exports: [StaysService],
})
export class StaysModule {}
