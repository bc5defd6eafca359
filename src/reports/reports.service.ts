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
    const [totals, people, peopleReached, received, demand, days] = await Promise.all([
      this.reports.dayTotals(from, to, tz, houseId, now),
      houseId === null
        ? this.reports.networkPeopleAtStart(from, tz, now)
        : this.reports.housePeople(from, to, tz, houseId),
      this.reports.peopleReached(from, to, tz, houseId),
      houseId === null ? null : this.reports.houseReferralsReceived(from, to, tz, houseId),
      this.reports.admissionDemand(from, to, tz, houseId, now),
      this.occupancy.history(from, to, houseId, tz, now),
    ]);
    const n = (path: string): number => totals.counts[path] ?? 0;
    // The network's census at the period's start leaves out the people admitted in it.
    const admitted = (role: string) => (houseId === null ? n(`admitted.${role}`) : 0);
    const served = {
      women: people.womenServed + admitted('woman'),
      dependants: people.dependantsServed + admitted('dependant'),
      children: people.childrenServed + admitted('child'),
    };
    const bedNights = days.reduce((sum, d) => sum + d.occupied, 0);
    const bedsInService = days.reduce((sum, d) => sum + d.capacity, 0);
    const exits = Object.fromEntries(EGRESS_REASONS.map((r) => [r, n(`exits.${r}`)]));
    const exited = Object.values(exits).reduce((a, b) => a + b, 0);
    const admissions = n('admissions');

    const counts: Record<string, number> = {
      womenServed: served.women,
      dependantsServed: served.dependants,
      childrenServed: served.children,
      admissions,
      peopleAdmitted: n('admitted.woman') + n('admitted.dependant'),
      ...prefixed('exits', exits),
      bedNights,
      extensions: n('extensions'),
      transfers: n('transfers'),
      'referrals.received': received ?? n('referrals.received'),
      'referrals.admitted': n('referrals.admitted'),
      'referrals.withdrawn': n('referrals.withdrawn'),
      ...prefixed(
        'referrals.rejected',
        Object.fromEntries(REJECTION_REASON_CODES.map((c) => [c, n(`referrals.rejected.${c}`)])),
      ),
      // Unmet demand: 409 NO_CAPACITY recorded once per referral and day.
      'referrals.refusedNoCapacity': demand.refusedNoCapacity,
      // Provisional admissions and overdue orders (Ley 2215 de 2022, art. 6 par. 1), counted
      // live: provisional stays are few, and an order attached late changes a past day.
      provisionalAdmissions: demand.provisionalAdmissions,
      ordersOverdue: demand.ordersOverdue,
      'followUps.due': n('followUps.due'),
      'followUps.completed': n('followUps.completed'),
      ...prefixed(
        'followUps.byOutcome',
        Object.fromEntries(FOLLOW_UP_OUTCOMES.map((o) => [o, n(`followUps.byOutcome.${o}`)])),
      ),
      'attentions.total': n('attentions.total'),
      'attentions.peopleReached': peopleReached,
      ...prefixed(
        'attentions.byDiscipline',
        Object.fromEntries(DISCIPLINES.map((d) => [d, n(`attentions.byDiscipline.${d}`)])),
      ),
      ...prefixed(
        'attentions.byKind',
        Object.fromEntries(ATTENTION_KINDS.map((k) => [k, n(`attentions.byKind.${k}`)])),
      ),
    };
    const measures: Record<string, Measure> = {
      occupancyRate: {
        value: bedsInService === 0 ? null : Math.round((bedNights / bedsInService) * 10000) / 10000,
        base: served.women + served.dependants,
      },
      averageStayDays: { value: totals.averageStayDays, base: exited },
      medianStayDays: { value: totals.medianStayDays, base: exited },
      medianHoursReferralToAdmission: {
        value: totals.medianHoursReferralToAdmission,
        base: admissions,
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
