import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AttentionsController } from './attentions.controller';
import { AttentionsRepository } from './attentions.repository';
import { AttentionsService } from './attentions.service';
import { CarePlansController } from './care-plans.controller';
import { CarePlansRepository } from './care-plans.repository';
import { CarePlansService } from './care-plans.service';
import { CaseAccess } from './case-access';
import { CaseNotesController } from './case-notes.controller';
import { CaseNotesRepository } from './case-notes.repository';
import { CaseNotesService } from './case-notes.service';
import { CaseStaysRepository } from './case-stays.repository';
import { LegalProcessesController } from './legal-processes.controller';
import { LegalProcessesRepository } from './legal-processes.repository';
import { LegalProcessesService } from './legal-processes.service';

/**
 * Permanencia: the team's work with a family during the stay (and its legal line after). The
 * follow-ups queue it schedules hearings through is global (FollowUpsModule).
 */
@Module({
  imports: [AlertsModule],
  controllers: [
    CarePlansController,
    AttentionsController,
    CaseNotesController,
    LegalProcessesController,
  ],
  providers: [
    CaseStaysRepository,
    CaseAccess,
    CarePlansRepository,
    CarePlansService,
    AttentionsRepository,
    AttentionsService,
    CaseNotesRepository,
    CaseNotesService,
    LegalProcessesRepository,
    LegalProcessesService,
  ],
})
export class CaseworkModule {}
