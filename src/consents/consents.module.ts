import { Module } from '@nestjs/common';
import { ConsentsController } from './consents.controller';
import { ConsentsRepository } from './consents.repository';
import { ConsentsService } from './consents.service';

/** Autorización per purpose (Ley 1581); FollowUpsService comes from the global FollowUpsModule. */
@Module({
  controllers: [ConsentsController],
  providers: [ConsentsRepository, ConsentsService],
})
export class ConsentsModule {}
