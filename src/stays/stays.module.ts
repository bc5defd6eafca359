import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { HousesModule } from '../houses/houses.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { AdmissionRepository } from './admission.repository';
import { AdmissionService } from './admission.service';
import { EgressRepository } from './egress.repository';
import { EgressService } from './egress.service';
import { HoldsController } from './holds.controller';
import { HoldsRepository } from './holds.repository';
import { HoldsService } from './holds.service';
import { HoldsWorker } from './holds.worker';
import { StayRepository } from './stay.repository';
import { StayService } from './stay.service';
import { StayFamilyRepository } from './stay-family.repository';
import { StayFamilyService } from './stay-family.service';
import { StaysController } from './stays.controller';

/**
 * The bed ledger, a file per stage: admission (ingreso, with its transport holds), stay
 * (permanencia), egress (egreso).
 */
@Module({
  imports: [HousesModule, ReferralsModule, AlertsModule],
  controllers: [StaysController, HoldsController],
  providers: [
    AdmissionRepository,
    AdmissionService,
    StayRepository,
    StayService,
    EgressRepository,
    EgressService,
    StayFamilyRepository,
    StayFamilyService,
    HoldsRepository,
    HoldsService,
    HoldsWorker,
  ],
  exports: [AdmissionService, StayService, EgressService, HoldsService],
})
export class StaysModule {}
