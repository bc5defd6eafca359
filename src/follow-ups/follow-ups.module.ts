import { BullModule, InjectQueue, Processor } from '@nestjs/bullmq';
import {
  DynamicModule,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
  Provider,
  Type,
} from '@nestjs/common';
import { Queue, type WorkerOptions } from 'bullmq';
import Redis from 'ioredis';
import { AlertsModule } from '../alerts/alerts.module';
import { AuthModule } from '../auth/auth.module';
import { FollowUpSituationsRepository } from '../casework/follow-up-situations.repository';
import { InjectRedis } from '../common/redis';
import { Config } from '../config/config';
import { AppRole } from '../config/environment';
import { FollowUpsController } from './follow-ups.controller';
import { FollowUpsMonitor } from './follow-ups.monitor';
import { FollowUpsProcessor } from './follow-ups.processor';
import { FOLLOW_UPS_QUEUE, FOLLOW_UPS_RELAY_QUEUE } from './follow-ups.queue';
import { FollowUpsRepository } from './follow-ups.repository';
import { FollowUpsService } from './follow-ups.service';
import { OutboxRelay } from './outbox-relay';
import {
  errorOncePerOutage,
  evictionPolicy,
  producerConnection,
  workerConnection,
} from './queue-connections';
import { QueueBoardController } from './queue-board.controller';
import { RelayProcessor } from './relay.processor';
import { RelayScheduler } from './relay-scheduler';

/** Warns once at start-up when Redis may evict keys: BullMQ then loses jobs silently. */
@Injectable()
class EvictionPolicyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Redis');

  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const policy = evictionPolicy(await this.redis.info('memory'));
      if (policy !== null && policy !== 'noeviction') {
        this.logger.warn(
          `Redis maxmemory-policy is ${policy}; BullMQ needs noeviction or queued jobs can be lost`,
        );
      }
    } catch {
      // Redis is away at start-up; readiness says so, and the relay catches up later.
    }
  }
}

/**
 * The processor classes get their @Processor registration here, on a subclass per
 * application, because the worker's settings (lock, stalled check, concurrency, connection)
 * come from the validated environment, which a decorator on the class cannot see.
 */
export function configuredProcessor<T extends Type>(
  base: T,
  queue: string,
  options: WorkerOptions,
): T {
  const configured = class extends base {};
  Object.defineProperty(configured, 'name', { value: base.name });
  Processor(queue, options)(configured);
  return configured;
}

/** Gives the producer queues an 'error' listener, so an outage is logged once, not printed. */
@Injectable()
class QueueErrorLog implements OnModuleInit {
  private readonly logger = new Logger('Queue');

  constructor(
    @InjectQueue(FOLLOW_UPS_QUEUE) private readonly followUps: Queue,
    @InjectQueue(FOLLOW_UPS_RELAY_QUEUE) private readonly relay: Queue,
  ) {}

  onModuleInit(): void {
    for (const queue of [this.followUps, this.relay]) {
      queue.on(
        'error',
        errorOncePerOutage((m) => this.logger.warn(m)),
      );
    }
  }
}

@Module({})
export class FollowUpsModule {
  static forRoot(config: Config): DynamicModule {
    const runsWorkers = config.app.role !== AppRole.Api;
    const shared = {
      connection: workerConnection(config.redis.url),
      prefix: config.queue.prefix,
      lockDuration: config.queue.lockDurationMs,
      stalledInterval: config.queue.stalledIntervalMs,
    };
    const workers: Provider[] = runsWorkers
      ? [
          configuredProcessor(FollowUpsProcessor, FOLLOW_UPS_QUEUE, {
            ...shared,
            concurrency: config.followUps.workerConcurrency,
          }),
          configuredProcessor(RelayProcessor, FOLLOW_UPS_RELAY_QUEUE, {
            ...shared,
            concurrency: 1,
          }),
        ]
      : [];
    return {
      module: FollowUpsModule,
      // Global, so the stays use cases (and the metrics) inject it without a second forRoot.
      global: true,
      imports: [
        AuthModule,
        AlertsModule,
        BullModule.forRoot({
          connection: producerConnection(config.redis.url),
          prefix: config.queue.prefix,
        }),
        BullModule.registerQueue({ name: FOLLOW_UPS_QUEUE }, { name: FOLLOW_UPS_RELAY_QUEUE }),
      ],
      controllers: [FollowUpsController, QueueBoardController],
      providers: [
        FollowUpsRepository,
        // Casework's table, written when a follow-up is completed (in that transaction); provided
        // here rather than by importing CaseworkModule, which itself uses FollowUpsService.
        FollowUpSituationsRepository,
        FollowUpsService,
        FollowUpsMonitor,
        OutboxRelay,
        EvictionPolicyCheck,
        QueueErrorLog,
        ...(runsWorkers ? [RelayScheduler] : []),
        ...workers,
      ],
      exports: [FollowUpsService, FollowUpsMonitor],
    };
  }
}
