import { Module } from '@nestjs/common';
import { HousesModule } from '../houses/houses.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { AdmissionRepository } from './admission.repository';
import { AdmissionService } from './admission.service';
import { EgressRepository } from './egress.repository';
import { EgressService } from './egress.service';
import { StayRepository } from './stay.repository';
import { StayService } from './stay.service';
import { StayFamilyRepository } from './stay-family.repository';
import { StayFamilyService } from './stay-family.service';
import { StaysController } from './stays.controller';

/** The bed ledger, a file per stage: admission (ingreso), stay (permanencia), egress (egreso). */
@Module({
  imports: [HousesModule, ReferralsModule],
  controllers: [StaysController],
  providers: [
    AdmissionRepository,
    AdmissionService,
    StayRepository,
    StayService,
    EgressRepository,
    EgressService,
    StayFamilyRepository,
    StayFamilyService,
  ],
  exports: [AdmissionService, StayService, EgressService],
})
export class StaysModule {}
