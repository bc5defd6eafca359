import { Module } from '@nestjs/common';
import { StaysController } from './stays.controller';
import { StaysRepository } from './stays.repository';
import { StaysService } from './stays.service';

@Module({
  controllers: [StaysController],
  providers: [StaysRepository, StaysService],
  exports: [StaysService],
})
export class StaysModule {}
