import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AlertsRepository } from '../alerts/alerts.repository';
import { HearingAlertsRepository } from '../alerts/hearing-alerts.repository';
import { OrderAlertsRepository } from '../alerts/order-alerts.repository';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { Config } from '../config/config';
import { FollowUpsRepository, PendingState } from './follow-ups.repository';
import { errorOncePerOutage } from './queue-connections';
import {
  FollowUpDuePayload,
  FollowUpJob,
  FollowUpJobName,
  HearingAlertDuePayload,
  OrderAlertDuePayload,
  TermAlertDuePayload,
} from './follow-ups.queue';

export type JobOutcome = 'became_due' | 'already_settled' | 'sent' | 'stale';

/**
 * The one worker of the follow-ups queue. Every handler re-reads Postgres and changes a row
 * only through a conditional update, so a job delivered twice (redelivery after a crash, two
 * workers, the relay re-adding it) records one reminder. Registered with its worker options by
 * FollowUpsModule, because they come from the validated environment.
 */
@Injectable()
export class FollowUpsProcessor extends WorkerHost {
  private readonly logger = new Logger(FollowUpsProcessor.name);
  private readonly workerError = errorOncePerOutage((m) => this.logger.warn(m));

  constructor(
    private readonly repository: FollowUpsRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly alerts: AlertsRepository,
    private readonly hearingAlerts: HearingAlertsRepository,
    private readonly orderAlerts: OrderAlertsRepository,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {
    super();
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.workerError(error);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.warn(`Job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`);
  }

  async process(job: Job, token?: string): Promise<JobOutcome> {
    const name = job.name as FollowUpJobName;
    switch (name) {
      case FollowUpJob.FollowUpDue:
        return this.followUpDue(job as Job<FollowUpDuePayload>, token);
      case FollowUpJob.TermAlertDue:
        return this.termAlertDue(job as Job<TermAlertDuePayload>, token);
      case FollowUpJob.HearingAlertDue:
        return this.hearingAlertDue(job as Job<HearingAlertDuePayload>, token);
      case FollowUpJob.OrderAlertDue:
        return this.orderAlertDue(job as Job<OrderAlertDuePayload>, token);
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`Unknown job name ${String(unknown)}`);
      }
    }
  }

  private async followUpDue(job: Job<FollowUpDuePayload>, token?: string): Promise<JobOutcome> {
    const { followUpId } = job.data;
    const state = await this.repository.findFollowUpState(followUpId);
    await this.settleEarlyOrMissing(job, token, state, 'Follow-up');
    if (state?.status !== 'scheduled') {
      return 'already_settled';
    }
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const became = await this.repository.markFollowUpDue(manager, followUpId, now);
      if (!became) {
        return 'already_settled';
      }
      const reminderId = await this.repository.insertReminder(
        manager,
        { kind: 'follow_up_due', houseId: became.houseId, stayId: became.stayId, followUpId },
        now,
      );
      await this.raiseAlert(manager, reminderId, now);
      await this.audit.recordSystem(
        'follow_up.became_due',
        'follow_up',
        followUpId,
        { houseId: became.houseId, jobId: job.id ?? null },
        manager,
      );
      await this.slowDownForTests();
      return 'became_due';
    });
  }

  private async termAlertDue(job: Job<TermAlertDuePayload>, token?: string): Promise<JobOutcome> {
    const { termAlertId } = job.data;
    const state = await this.repository.findTermAlertState(termAlertId);
    await this.settleEarlyOrMissing(job, token, state, 'Term alert');
    if (state?.status !== 'scheduled') {
      return 'already_settled';
    }
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const settled = await this.repository.settleTermAlert(manager, termAlertId, now);
      if (!settled) {
        return 'already_settled';
      }
      if (settled.status === 'cancelled') {
        return 'stale';
      }
      const reminderId = await this.repository.insertReminder(
        manager,
        { kind: settled.kind, houseId: settled.houseId, stayId: settled.stayId, termAlertId },
        now,
      );
      await this.raiseAlert(manager, reminderId, now);
      await this.audit.recordSystem(
        'term_alert.sent',
        'stay',
        settled.stayId,
        { kind: settled.kind, houseId: settled.houseId, termAlertId },
        manager,
      );
      await this.slowDownForTests();
      return 'sent';
    });
  }

  /** A hearing tomorrow: one hearing_soon alert, unless the date moved or the process closed. */
  private async hearingAlertDue(
    job: Job<HearingAlertDuePayload>,
    token?: string,
  ): Promise<JobOutcome> {
    const { hearingAlertId } = job.data;
    const state = await this.hearingAlerts.findState(hearingAlertId);
    await this.settleEarlyOrMissing(job, token, state, 'Hearing alert');
    if (state?.status !== 'scheduled') {
      return 'already_settled';
    }
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const settled = await this.hearingAlerts.settle(manager, hearingAlertId, now);
      if (!settled) {
        return 'already_settled';
      }
      if (settled.status === 'cancelled') {
        return 'stale';
      }
      await this.alerts.raiseForHearing(manager, { ...settled, hearingAlertId }, now);
      await this.audit.recordSystem(
        'hearing_alert.sent',
        'legal_process',
        settled.legalProcessId,
        { houseId: settled.houseId, hearingAlertId },
        manager,
      );
      await this.slowDownForTests();
      return 'sent';
    });
  }

  /**
   * A provisional stay's order is overdue: one order_overdue alert, unless the order came or
   * she left first. Nobody is exited for it.
   */
  private async orderAlertDue(job: Job<OrderAlertDuePayload>, token?: string): Promise<JobOutcome> {
    const { orderAlertId } = job.data;
    const state = await this.orderAlerts.findState(orderAlertId);
    await this.settleEarlyOrMissing(job, token, state, 'Order alert');
    if (state?.status !== 'scheduled') {
      return 'already_settled';
    }
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const settled = await this.orderAlerts.settle(manager, orderAlertId, now);
      if (!settled) {
        return 'already_settled';
      }
      if (settled.status === 'cancelled') {
        return 'stale';
      }
      await this.alerts.raiseForOrder(manager, { ...settled, orderAlertId }, now);
      await this.audit.recordSystem(
        'order_alert.sent',
        'stay',
        settled.stayId,
        { houseId: settled.houseId, orderAlertId },
        manager,
      );
      await this.slowDownForTests();
      return 'sent';
    });
  }

  /**
   * The reminder reaches people as an alert of its house, in the reminder's transaction: both
   * commit together or neither does, and the alert's unique key on the reminder keeps it one.
   */
  private async raiseAlert(
    manager: EntityManager,
    reminderId: string | null,
    now: Date,
  ): Promise<void> {
    if (reminderId !== null) {
      await this.alerts.raiseForReminder(manager, reminderId, now);
    }
  }

  /**
   * A row that is gone can never succeed: UnrecoverableError fails the job at once (it stays
   * visible). A job that fires before its row's due time goes back to sleep until then.
   */
  private async settleEarlyOrMissing(
    job: Job,
    token: string | undefined,
    state: PendingState | null,
    what: string,
  ): Promise<void> {
    if (!state) {
      throw new UnrecoverableError(`${what} no longer exists`);
    }
    const dueAt = state.dueAt.getTime();
    if (state.status === 'scheduled' && dueAt > this.clock.now().getTime()) {
      this.logger.debug(`Job ${job.id} fired before its due time; delayed again`);
      await job.moveToDelayed(dueAt, token);
      throw new DelayedError();
    }
  }

  private async slowDownForTests(): Promise<void> {
    const delay = this.config.test.followUpProcessingDelayMs;
    if (delay > 0) {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
