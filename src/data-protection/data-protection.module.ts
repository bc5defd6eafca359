import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Config } from '../config/config';
import { AppRole } from '../config/environment';
import { configuredProcessor } from '../follow-ups/follow-ups.module';
import { workerConnection } from '../follow-ups/queue-connections';
import { CaseKeyMigration } from './case-key-migration';
import { CaseKeysRepository } from './case-keys.repository';
import { ErasureService } from './erasure.service';
import { KeyRotation } from './key-rotation';
import { Retention, RETENTION_QUEUE, RetentionProcessor, RetentionScheduler } from './retention';

/** Ley 1581 de 2012: per-case keys (their migration), erasure and retention. */
@Module({})
export class DataProtectionModule {
  static forRoot(config: Config): DynamicModule {
    const workers: Provider[] =
      config.app.role !== AppRole.Api
        ? [
            configuredProcessor(RetentionProcessor, RETENTION_QUEUE, {
              connection: workerConnection(config.redis.url),
              prefix: config.queue.prefix,
              lockDuration: config.queue.lockDurationMs,
              stalledInterval: config.queue.stalledIntervalMs,
              concurrency: 1,
            }),
            RetentionScheduler,
          ]
        : [];
    return {
      module: DataProtectionModule,
      global: true,
      imports: [BullModule.registerQueue({ name: RETENTION_QUEUE })],
      providers: [
        CaseKeysRepository,
        CaseKeyMigration,
        ErasureService,
        Retention,
        KeyRotation,
        ...workers,
      ],
      exports: [ErasureService, CaseKeyMigration, Retention, BullModule],
    };
  }
}
