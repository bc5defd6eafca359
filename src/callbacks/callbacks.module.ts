import { BullModule, InjectQueue } from '@nestjs/bullmq';
import { DynamicModule, Injectable, Logger, Module, OnModuleInit, Provider } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AuthModule } from '../auth/auth.module';
import { Config } from '../config/config';
import { AppRole } from '../config/environment';
import { configuredProcessor } from '../follow-ups/follow-ups.module';
import { OutboxRelay } from '../follow-ups/outbox-relay';
import { errorOncePerOutage, workerConnection } from '../follow-ups/queue-connections';
import { CallbacksController } from './callbacks.controller';
import { CallbacksProcessor } from './callbacks.processor';
import {
  CALLBACK_JOB_OPTIONS,
  CALLBACKS_QUEUE,
  CallbackJob,
  callbackJobId,
  callbackRetryDelayMs,
} from './callbacks.queue';
import { CallbacksRepository } from './callbacks.repository';
import { CallbacksService } from './callbacks.service';

/**
 * Hands the callback outbox to the follow-ups outbox relay, which already starts at boot, runs
 * every FOLLOW_UP_RELAY_EVERY_MS and after each admission and egress, and refills a Redis that
 * came back empty: one relay for every outbox.
 */
@Injectable()
class CallbackOutbox implements OnModuleInit {
  private readonly logger = new Logger('Queue');

  constructor(
    @InjectQueue(CALLBACKS_QUEUE) private readonly queue: Queue,
    private readonly relay: OutboxRelay,
    private readonly repository: CallbacksRepository,
  ) {}

  onModuleInit(): void {
    this.queue.on(
      'error',
      errorOncePerOutage((m) => this.logger.warn(m)),
    );
    this.relay.register({
      queue: this.queue,
      name: CallbackJob.Deliver,
      options: CALLBACK_JOB_OPTIONS,
      jobId: callbackJobId,
      payload: (id) => ({ eventId: id }),
      findUnrelayed: (e, l) => this.repository.findUnrelayed(e, l),
      markRelayed: (ids, e) => this.repository.markRelayed(ids, e),
      findStale: (d, l) => this.repository.findStale(d, l),
    });
  }
}

/** Status callbacks to referrers (API.md, "Status callbacks to referrers"). */
@Module({})
export class CallbacksModule {
  static forRoot(config: Config): DynamicModule {
    const testDelay = config.test.callbackRetryDelayMs;
    const workers: Provider[] =
      config.app.role === AppRole.Api
        ? []
        : [
            configuredProcessor(CallbacksProcessor, CALLBACKS_QUEUE, {
              connection: workerConnection(config.redis.url),
              prefix: config.queue.prefix,
              lockDuration: config.queue.lockDurationMs,
              stalledInterval: config.queue.stalledIntervalMs,
              concurrency: config.callbacks.workerConcurrency,
              settings: {
                backoffStrategy: (attemptsMade: number) =>
                  testDelay > 0 ? testDelay : callbackRetryDelayMs(attemptsMade),
              },
            }),
          ];
    return {
      module: CallbacksModule,
      // Global, so GET /metrics reads the callback backlog without a second forRoot.
      global: true,
      // The producer connection and prefix come from FollowUpsModule's BullModule.forRoot.
      imports: [AuthModule, BullModule.registerQueue({ name: CALLBACKS_QUEUE })],
      controllers: [CallbacksController],
      providers: [CallbacksRepository, CallbacksService, CallbackOutbox, ...workers],
      exports: [CallbacksRepository],
    };
  }
}
