import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, houseScope, StaffActor } from '../common/actor';
import { CaseCipher } from '../common/case-cipher';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { BedStatusDto, HouseDto, RoomDto } from './dto/house.dto';
import { HousesRepository } from './houses.repository';

@Injectable()
export class HousesService {
  constructor(
    private readonly houses: HousesRepository,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly caseCipher: CaseCipher,
  ) {}

  list(actor: Actor): Promise<HouseDto[]> {
    return this.houses.findAll(houseScope(actor));
  }

  async create(actor: Actor, code: string, name: string): Promise<HouseDto> {
    const house = await this.houses.insert(code, name.trim());
    await this.audit.record(actor, 'house.created', 'house', house.id, { code });
    return house;
  }

  /** A coordinator asking for another house gets 404, exactly as for a house that does not exist. */
  async rooms(actor: Actor, houseId: string): Promise<RoomDto[]> {
    await this.findVisibleHouse(actor, houseId);
    return this.houses.findRooms(houseId);
  }

  async addRoom(
    actor: Actor,
    houseId: string,
    input: { name: string; beds: number; wheelchairAccessible?: boolean },
  ): Promise<RoomDto> {
    await this.findVisibleHouse(actor, houseId);
    const roomId = await this.houses.insertRoom(
      houseId,
      input.name.trim(),
      input.beds,
      input.wheelchairAccessible ?? false,
    );
    await this.audit.record(actor, 'room.created', 'room', roomId, { houseId, beds: input.beds });
    const room = (await this.houses.findRooms(houseId)).find((r) => r.id === roomId);
    return room as RoomDto;
  }

  /**
   * Takes a bed out of service or back, with a reason either way. The bed's row is locked, so
   * an admission cannot take it in the same instant; an occupied bed stays in service.
   */
  async setBedService(
    actor: StaffActor,
    bedId: string,
    inService: boolean,
    reason: string,
  ): Promise<BedStatusDto> {
    const houseId = await this.dataSource.transaction(async (manager) => {
      const bed = await this.houses.lockBed(manager, bedId);
      if (!bed) {
        throw DomainError.notFound('Bed');
      }
      if (bed.inService !== inService) {
        if (!inService && bed.occupied) {
          throw new DomainError(
            'BED_OCCUPIED',
            'The bed is occupied or held; free it before taking it out of service',
          );
        }
        const now = this.clock.now();
        // Staff's reason can name a woman ("agresor de … la ubicó"): under the house's key.
        const sealed = (await this.caseCipher.writer(bed.houseId)).encrypt(reason.trim());
        if (inService) {
          await this.houses.putBackInService(manager, bedId, now, sealed, actor.id);
        } else {
          await this.houses.takeOutOfService(manager, bedId, now, sealed, actor.id);
        }
        await this.audit.record(
          actor,
          inService ? 'bed.returned_to_service' : 'bed.taken_out_of_service',
          'bed',
          bedId,
          { houseId: bed.houseId },
          manager,
        );
      }
      return bed.houseId;
    });
    const history = await this.houses.findBedHistory(bedId);
    const reader = await this.caseCipher.reader([houseId]);
    return {
      id: bedId,
      houseId,
      inService,
      serviceHistory: history.map((period) => ({
        ...period,
        reasonOut: reader.text(period.reasonOut) ?? '',
        reasonBack: period.reasonBack === null ? null : reader.text(period.reasonBack),
      })),
    };
  }

  private async findVisibleHouse(actor: Actor, houseId: string): Promise<HouseDto> {
    const scope = houseScope(actor);
    const house = scope === null || scope === houseId ? await this.houses.findById(houseId) : null;
    if (!house) {
      throw DomainError.notFound('House');
    }
    return house;
  }
}
