import { Injectable } from '@nestjs/common';
import { Actor, houseScope } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Config } from '../config/config';
import { HousesRepository } from '../houses/houses.repository';
import { OccupancyRepository } from '../occupancy/occupancy.repository';
import { exportHeader, exportRows, toCsv, toXlsx } from './report-export';
import { ReportsRepository } from './reports.repository';
import {
  ATTENTION_KINDS,
  Cell,
  DISCIPLINES,
  EGRESS_REASONS,
  FOLLOW_UP_OUTCOMES,
  IndicatorReport,
  Indicators,
  REJECTION_REASON_CODES,
} from './reports.types';
import { CellGroup, Measure, suppressSmallCounts } from './suppression';

export interface IndicatorQuery {
  from: string;
  to: string;
  houseId?: string;
  audience?: 'public';
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly occupancy: OccupancyRepository,
    private readonly houses: HousesRepository,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  async indicators(actor: Actor, query: IndicatorQuery): Promise<IndicatorReport> {
    const houseId = await this.visibleHouse(actor, query.houseId);
    const tz = this.config.time.zone;
    const { from, to } = query;
    const now = this.clock.now();
    const [people, stays, referrals, demand, followUps, attentions, days] = await Promise.all([
      this.reports.people(from, to, tz, houseId),
      this.reports.stays(from, to, tz, houseId),
      this.reports.referrals(from, to, tz, houseId),
      this.reports.admissionDemand(from, to, tz, houseId, now),
      this.reports.followUps(from, to, tz, houseId),
      this.reports.attentions(from, to, tz, houseId),
      this.occupancy.history(from, to, houseId, tz, now),
    ]);
    const bedNights = days.reduce((sum, d) => sum + d.occupied, 0);
    const bedsInService = days.reduce((sum, d) => sum + d.capacity, 0);
    const exits = {
      term_completed: stays.exitsTermCompleted,
      voluntary: stays.exitsVoluntary,
      transferred_out: stays.exitsTransferredOut,
      rule_breach: stays.exitsRuleBreach,
      other: stays.exitsOther,
    };
    const exited = Object.values(exits).reduce((a, b) => a + b, 0);
    const served = people.womenServed + people.dependantsServed;

    const counts: Record<string, number> = {
      womenServed: people.womenServed,
      dependantsServed: people.dependantsServed,
      childrenServed: people.childrenServed,
      admissions: stays.admissions,
      peopleAdmitted: stays.peopleAdmitted,
      ...prefixed('exits', exits),
      bedNights,
      extensions: stays.extensions,
      transfers: stays.transfers,
      'referrals.received': referrals.received,
      'referrals.admitted': stays.referralsAdmitted,
      'referrals.withdrawn': referrals.withdrawn,
      ...prefixed(
        'referrals.rejected',
        Object.fromEntries(REJECTION_REASON_CODES.map((c) => [c, referrals.rejected[c] ?? 0])),
      ),
      // Unmet demand: 409 NO_CAPACITY recorded once per referral and day.
      'referrals.refusedNoCapacity': demand.refusedNoCapacity,
      // Provisional admissions and overdue orders (Ley 2215 de 2022, art. 6 par. 1).
      provisionalAdmissions: demand.provisionalAdmissions,
      ordersOverdue: demand.ordersOverdue,
      'followUps.due': followUps.due,
      'followUps.completed': followUps.completed,
      'followUps.byOutcome.contacted': followUps.contacted,
      'followUps.byOutcome.not_reachable': followUps.notReachable,
      'followUps.byOutcome.declined': followUps.declined,
      'attentions.total': attentions.total,
      'attentions.peopleReached': attentions.peopleReached,
      ...prefixed(
        'attentions.byDiscipline',
        Object.fromEntries(DISCIPLINES.map((d) => [d, attentions.byDiscipline[d] ?? 0])),
      ),
      ...prefixed(
        'attentions.byKind',
        Object.fromEntries(ATTENTION_KINDS.map((k) => [k, attentions.byKind[k] ?? 0])),
      ),
    };
    const measures: Record<string, Measure> = {
      occupancyRate: {
        value: bedsInService === 0 ? null : Math.round((bedNights / bedsInService) * 10000) / 10000,
        base: served,
      },
      averageStayDays: { value: stays.averageStayDays, base: exited },
      medianStayDays: { value: stays.medianStayDays, base: exited },
      medianHoursReferralToAdmission: {
        value: stays.medianHoursReferralToAdmission,
        base: stays.admissions,
      },
    };

    const { values, suppressed } = isSuppressed(actor, query)
      ? suppressSmallCounts({ counts, groups: GROUPS, measures }, this.config.reports.minCell)
      : {
          values: {
            ...counts,
            ...Object.fromEntries(Object.entries(measures).map(([k, m]) => [k, m.value])),
          },
          suppressed: [],
        };
    return { from, to, houseId, suppressed, indicators: nest(values) };
  }

  /** The report as a CSV or Excel file, with a name that says what it holds. */
  async export(
    actor: Actor,
    query: IndicatorQuery,
    format: 'csv' | 'xlsx',
  ): Promise<{ name: string; body: Buffer }> {
    const report = await this.indicators(actor, query);
    const houseCode = report.houseId ? await this.reports.houseCode(report.houseId) : null;
    const suppressed = isSuppressed(actor, query);
    const header = exportHeader(report, houseCode, this.config.reports.minCell, suppressed);
    const rows = exportRows(report);
    const name = `indicadores_${houseCode ?? 'red'}_${report.from}_${report.to}${suppressed ? '_publico' : ''}.${format}`;
    return { name, body: format === 'csv' ? toCsv(header, rows) : await toXlsx(header, rows) };
  }

  /** Coordinators see their own house only (another answers 404); a house must exist. */
  private async visibleHouse(actor: Actor, houseId: string | undefined): Promise<string | null> {
    const scope = houseScope(actor);
    if (scope !== null && houseId !== undefined && houseId !== scope) {
      throw DomainError.notFound('House');
    }
    if (houseId !== undefined && !(await this.houses.houseExists(houseId))) {
      throw DomainError.notFound('House');
    }
    return scope ?? houseId ?? null;
  }
}

/** Analysts always get small counts withheld; anyone else when asking for the public view. */
function isSuppressed(actor: Actor, query: IndicatorQuery): boolean {
  return (actor.kind === 'staff' && actor.role === 'analyst') || query.audience === 'public';
}

/**
 * Breakdowns whose cells add up to something another figure or the reader can work out: one
 * withheld cell alone would be given away by the others.
 */
const GROUPS: CellGroup[] = [
  { cells: EGRESS_REASONS.map((r) => `exits.${r}`) },
  { cells: REJECTION_REASON_CODES.map((c) => `referrals.rejected.${c}`) },
  {
    cells: FOLLOW_UP_OUTCOMES.map((o) => `followUps.byOutcome.${o}`),
    total: 'followUps.completed',
  },
  { cells: DISCIPLINES.map((d) => `attentions.byDiscipline.${d}`), total: 'attentions.total' },
  { cells: ATTENTION_KINDS.map((k) => `attentions.byKind.${k}`), total: 'attentions.total' },
];

const INDICATOR_ORDER = [
  'womenServed',
  'dependantsServed',
  'childrenServed',
  'admissions',
  'peopleAdmitted',
  'exits',
  'bedNights',
  'occupancyRate',
  'averageStayDays',
  'medianStayDays',
  'extensions',
  'transfers',
  'referrals',
  'medianHoursReferralToAdmission',
  'provisionalAdmissions',
  'ordersOverdue',
  'followUps',
  'attentions',
] as const;

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, v]));
}

/** `{ 'exits.voluntary': 3 }` → `{ exits: { voluntary: 3 } }`. */
function nest(values: Record<string, Cell>): Indicators {
  // The contract's order, whatever order the figures were computed in.
  const root: Record<string, unknown> = Object.fromEntries(INDICATOR_ORDER.map((k) => [k, null]));
  for (const [path, value] of Object.entries(values)) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return root as unknown as Indicators;
}
