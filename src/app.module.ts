import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CaseworkModule } from './casework/casework.module';
import { ConsentsModule } from './consents/consents.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { RedisModule } from './common/redis';
import { ConfigModule } from './config/config.module';
import { Config } from './config/config';
import { databaseOptions } from './database/database-options';
import { DataProtectionModule } from './data-protection/data-protection.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { HealthModule } from './health/health.module';
import { HousesModule } from './houses/houses.module';
import { MetricsModule } from './metrics/metrics.module';
import { OccupancyModule } from './occupancy/occupancy.module';
import { ReferralsModule } from './referrals/referrals.module';
import { SettingsModule } from './settings/settings.module';
import { ReportsModule } from './reports/reports.module';
import { StaysModule } from './stays/stays.module';
import { CommonModule } from './common/common.module';
import { CallbacksModule } from './callbacks/callbacks.module';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Retries cover Postgres starting next to us (docker compose); then start-up fails.
        TypeOrmModule.forRoot({
          ...databaseOptions(config.database),
          retryAttempts: 10,
          retryDelay: 1500,
        }),
        RedisModule,
        CommonModule,
        AuditModule,
        AuthModule,
        HousesModule,
        OccupancyModule,
        ReferralsModule,
        StaysModule,
        SettingsModule,
        FollowUpsModule.forRoot(config),
        CallbacksModule.forRoot(config),
        DataProtectionModule.forRoot(config),
        AlertsModule,
        CaseworkModule,
        ConsentsModule,
        ReportsModule,
        HealthModule,
        MetricsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
