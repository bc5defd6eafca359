import { Injectable } from '@nestjs/common';
import { Actor, houseScope } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { localDate } from '../common/local-day';
import { Config } from '../config/config';
import { HousesRepository } from '../houses/houses.repository';
import { OccupancyDto, OccupancyForecastDto, OccupancyHistoryDto } from './dto/occupancy.dto';
import { OccupancyRepository } from './occupancy.repository';

@Injectable()
export class OccupancyService {
  constructor(
    private readonly occupancy: OccupancyRepository,
    private readonly houses: HousesRepository,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  async current(actor: Actor, houseId?: string): Promise<OccupancyDto> {
    const scope = this.visibleHouse(actor, houseId);
    const asOf = this.clock.now();
    const houses = await this.occupancy.current(scope, asOf);
    if (houseId !== undefined && houses.length === 0) {
      throw DomainError.notFound('House');
    }
    const totals = { capacity: 0, occupied: 0, held: 0, free: 0, outOfService: 0 };
    for (const h of houses) {
      totals.capacity += h.capacity;
      totals.occupied += h.occupied;
      totals.held += h.held;
      totals.free += h.free;
      totals.outOfService += h.outOfService;
    }
    return {
      asOf,
      totals,
      houses: houses.map((h) => ({
        ...h,
        occupancyRate: h.capacity === 0 ? 0 : Math.round((h.occupied / h.capacity) * 10000) / 10000,
      })),
    };
  }

  /** Days from `from` to `to` (both included); the DTO has checked the dates and the range. */
  async history(
    actor: Actor,
    from: string,
    to: string,
    houseId?: string,
  ): Promise<OccupancyHistoryDto> {
    const scope = this.visibleHouse(actor, houseId);
    if (houseId !== undefined && !(await this.houses.houseExists(houseId))) {
      throw DomainError.notFound('House');
    }
    return {
      days: await this.occupancy.history(from, to, scope, this.config.time.zone, this.clock.now()),
    };
  }

  /** The next `days` days from today (TZ_SERVICE), if every active stay ends at its term. */
  async forecast(actor: Actor, days: number, houseId?: string): Promise<OccupancyForecastDto> {
    const scope = this.visibleHouse(actor, houseId);
    if (houseId !== undefined && !(await this.houses.houseExists(houseId))) {
      throw DomainError.notFound('House');
    }
    const today = localDate(this.clock.now(), this.config.time.zone);
    return {
      days: await this.occupancy.forecast(today, days, scope, this.config.time.zone),
    };
  }

  /** Coordinators are held to their house; asking for another answers 404. */
  private visibleHouse(actor: Actor, houseId: string | undefined): string | null {
    const scope = houseScope(actor);
    if (scope !== null && houseId !== undefined && houseId !== scope) {
      throw DomainError.notFound('House');
    }
    return scope ?? houseId ?? null;
  }
}
