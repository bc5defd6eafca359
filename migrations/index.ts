import { Foundation1763766000000 } from './1763766000000-foundation';
import { Referrals1763766100000 } from './1763766100000-referrals';
import { Stays1763766200000 } from './1763766200000-stays';
import { StayIntegrity1763766300000 } from './1763766300000-stay-integrity';
import { FollowUps1763766400000 } from './1763766400000-follow-ups';
import { OccupancyNowIndexes1763766500000 } from './1763766500000-occupancy-now-indexes';
import { EncryptEgressDestination1763766600000 } from './1763766600000-encrypt-egress-destination';
import { FreeBedIndexes1763766700000 } from './1763766700000-free-bed-indexes';
import { OccupancyDays1763766800000 } from './1763766800000-occupancy-days';
import { RoomCounts1763766900000 } from './1763766900000-room-counts';
import { NoJit1763767000000 } from './1763767000000-no-jit';
import { RelayIndexes1763767100000 } from './1763767100000-relay-indexes';
import { AdmissionInOneCall1764500100000 } from './1764500100000-admission-in-one-call';
import { EgressInOneCall1764500110000 } from './1764500110000-egress-in-one-call';
import { PlacementKeepsAccessibleRooms1764500120000 } from './1764500120000-placement-keeps-accessible-rooms';
import { TeamMembers1764500400000 } from './1764500400000-team-members';
import { Alerts1764500400100 } from './1764500400100-alerts';
import { CarePlans1764500400200 } from './1764500400200-care-plans';
import { Attentions1764500400300 } from './1764500400300-attentions';
import { CaseNotes1764500400400 } from './1764500400400-case-notes';
import { LegalProcesses1764500400500 } from './1764500400500-legal-processes';
import { FollowUpSituations1764500400600 } from './1764500400600-follow-up-situations';
import { StaffSessions1764500500000 } from './1764500500000-staff-sessions';
import { FamilySearch1764500600000 } from './1764500600000-family-search';
import { AnalystRole1764500700000 } from './1764500700000-analyst-role';
import { RejectionReasonCode1764500800000 } from './1764500800000-rejection-reason-code';
import { TransportHolds1764501000000 } from './1764501000000-transport-holds';
import { ProvisionalAdmission1764502000000 } from './1764502000000-provisional-admission';
import { UnmetDemand1764502100000 } from './1764502100000-unmet-demand';
import { ReferrerCallbacks1764503000000 } from './1764503000000-referrer-callbacks';
import { CaseKeys1764504000000 } from './1764504000000-case-keys';
import { Consents1764505000000 } from './1764505000000-consents';
import { AppRole1764505100000 } from './1764505100000-app-role';
import { IdempotencyKeysAsHmacs1764506000000 } from './1764506000000-idempotency-keys-as-hmacs';
import { EncryptProtectionOrderNumber1764506100000 } from './1764506100000-encrypt-protection-order-number';
import { ReportDays1764507000000 } from './1764507000000-report-days';
import { ProvisionalReportIndexes1764507100000 } from './1764507100000-provisional-report-indexes';
import { ReportDaysRecent1764508000000 } from './1764508000000-report-days-recent';
import { ReportDaysSorted1764508100000 } from './1764508100000-report-days-sorted';
import { ReportDaysStaySum1764508200000 } from './1764508200000-report-days-stay-sum';

/** Every migration, in order. An explicit list instead of a glob: the same in ts-jest and dist. */
export const migrations = [
  Foundation1763766000000,
  Referrals1763766100000,
  Stays1763766200000,
  StayIntegrity1763766300000,
  FollowUps1763766400000,
  OccupancyNowIndexes1763766500000,
  EncryptEgressDestination1763766600000,
  FreeBedIndexes1763766700000,
  OccupancyDays1763766800000,
  RoomCounts1763766900000,
  NoJit1763767000000,
  RelayIndexes1763767100000,
  AdmissionInOneCall1764500100000,
  EgressInOneCall1764500110000,
  PlacementKeepsAccessibleRooms1764500120000,
  TeamMembers1764500400000,
  Alerts1764500400100,
  CarePlans1764500400200,
  Attentions1764500400300,
  CaseNotes1764500400400,
  LegalProcesses1764500400500,
  FollowUpSituations1764500400600,
  StaffSessions1764500500000,
  FamilySearch1764500600000,
  AnalystRole1764500700000,
  RejectionReasonCode1764500800000,
  TransportHolds1764501000000,
  ProvisionalAdmission1764502000000,
  UnmetDemand1764502100000,
  ReferrerCallbacks1764503000000,
  CaseKeys1764504000000,
  Consents1764505000000,
  AppRole1764505100000,
  IdempotencyKeysAsHmacs1764506000000,
  EncryptProtectionOrderNumber1764506100000,
  ReportDays1764507000000,
  ProvisionalReportIndexes1764507100000,
  ReportDaysRecent1764508000000,
  ReportDaysSorted1764508100000,
  ReportDaysStaySum1764508200000,
];
