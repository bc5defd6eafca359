import { Module } from '@nestjs/common';
import { NameTokenBackfill } from './name-token-backfill';
import { ReferralsController } from './referrals.controller';
import { ReferralsRepository } from './referrals.repository';
import { ReferralsService } from './referrals.service';

@Module({
  controllers: [ReferralsController],
  providers: [ReferralsRepository, ReferralsService, NameTokenBackfill],
  exports: [ReferralsRepository],
})
export class ReferralsModule {}
