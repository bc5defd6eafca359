import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { PiiCipher } from '../common/pii-cipher';
import { CaseAccess } from './case-access';
import { CarePlansRepository, GoalRecord } from './care-plans.repository';
import { CaseStay } from './casework.types';
import { CarePlanDto, CreateGoalDto, GoalDto, UpdateGoalDto } from './dto/care-plan.dto';

/** The care plan: goals are worked on while the family lives in the house, never after. */
@Injectable()
export class CarePlansService {
  constructor(
    private readonly goals: CarePlansRepository,
    private readonly access: CaseAccess,
    private readonly audit: AuditService,
    private readonly cipher: PiiCipher,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async plan(actor: Actor, stayId: string): Promise<CarePlanDto> {
    await this.access.visibleStay(actor, stayId);
    const goals = await this.goals.findByStay(stayId);
    return { stayId, goals: goals.map((g) => this.view(g)) };
  }

  async addGoal(actor: StaffActor, stayId: string, input: CreateGoalDto): Promise<GoalDto> {
    const id = await this.dataSource.transaction(async (manager) => {
      const stay = await this.access.lockVisibleStay(actor, manager, stayId);
      assertActive(stay);
      const goalId = await this.goals.insert(
        manager,
        {
          stayId,
          area: input.area,
          descriptionCipher: this.cipher.encrypt(input.description.trim()),
          targetDate: input.targetDate ?? null,
          authorId: actor.id,
        },
        this.clock.now(),
      );
      await this.audit.record(
        actor,
        'goal.created',
        'goal',
        goalId,
        { stayId, houseId: stay.houseId, area: input.area },
        manager,
      );
      return goalId;
    });
    return this.view((await this.goals.findById(id)) as GoalRecord);
  }

  async updateGoal(actor: StaffActor, goalId: string, input: UpdateGoalDto): Promise<GoalDto> {
    const goal = await this.goals.findById(goalId);
    this.access.assertVisibleHouse(actor, goal?.houseId, 'Goal');
    const { stayId } = goal as GoalRecord;
    await this.dataSource.transaction(async (manager) => {
      const stay = await this.access.lockVisibleStay(actor, manager, stayId);
      assertActive(stay);
      await this.goals.update(
        manager,
        goalId,
        {
          status: input.status,
          descriptionCipher:
            input.description === undefined
              ? undefined
              : this.cipher.encrypt(input.description.trim()),
          targetDate: input.targetDate,
          authorId: actor.id,
        },
        this.clock.now(),
      );
      await this.audit.record(
        actor,
        'goal.updated',
        'goal',
        goalId,
        {
          stayId,
          houseId: stay.houseId,
          status: input.status ?? null,
          descriptionChanged: input.description !== undefined,
          targetDateChanged: input.targetDate !== undefined,
        },
        manager,
      );
    });
    return this.view((await this.goals.findById(goalId)) as GoalRecord);
  }

  private view(goal: GoalRecord): GoalDto {
    return {
      id: goal.id,
      area: goal.area,
      description: this.cipher.decrypt(goal.descriptionCipher),
      status: goal.status,
      targetDate: goal.targetDate,
      createdBy: goal.createdBy,
      createdAt: goal.createdAt,
      updatedAt: goal.updatedAt,
    };
  }
}

function assertActive(stay: CaseStay): void {
  if (stay.status !== 'active') {
    throw new DomainError('INVALID_STATE', 'The care plan changes only while the stay is active');
  }
}
