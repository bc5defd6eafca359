import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { CaseCipher, CaseReader } from '../common/case-cipher';
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
    private readonly caseCipher: CaseCipher,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async plan(actor: Actor, stayId: string): Promise<CarePlanDto> {
    const stay = await this.access.visibleStay(actor, stayId);
    const goals = await this.goals.findByStay(stayId);
    const reader = await this.caseCipher.reader([stay.referralId]);
    return { stayId, goals: goals.map((g) => this.view(g, reader)) };
  }

  async addGoal(actor: StaffActor, stayId: string, input: CreateGoalDto): Promise<GoalDto> {
    const id = await this.dataSource.transaction(async (manager) => {
      const stay = await this.access.lockVisibleStay(actor, manager, stayId);
      assertActive(stay);
      const caseKey = await this.caseCipher.writer(stay.referralId);
      const goalId = await this.goals.insert(
        manager,
        {
          stayId,
          area: input.area,
          descriptionCipher: caseKey.encrypt(input.description.trim()),
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
    return this.one(id);
  }

  async updateGoal(actor: StaffActor, goalId: string, input: UpdateGoalDto): Promise<GoalDto> {
    const goal = await this.goals.findById(goalId);
    this.access.assertVisibleHouse(actor, goal?.houseId, 'Goal');
    const { stayId } = goal as GoalRecord;
    await this.dataSource.transaction(async (manager) => {
      const stay = await this.access.lockVisibleStay(actor, manager, stayId);
      assertActive(stay);
      const caseKey = await this.caseCipher.writer(stay.referralId);
      await this.goals.update(
        manager,
        goalId,
        {
          status: input.status,
          descriptionCipher:
            input.description === undefined ? undefined : caseKey.encrypt(input.description.trim()),
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
    return this.one(goalId);
  }

  private async one(goalId: string): Promise<GoalDto> {
    const goal = (await this.goals.findById(goalId)) as GoalRecord;
    return this.view(goal, await this.caseCipher.reader([goal.referralId]));
  }

  private view(goal: GoalRecord, reader: CaseReader): GoalDto {
    return {
      id: goal.id,
      area: goal.area,
      description: reader.decrypt(goal.descriptionCipher),
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
