import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { RedisModule } from './common/redis';
import { requestIdFor } from './common/request-id';
import { ConfigModule } from './config/config.module';
import { Environment } from './config/environment';
import { databaseOptions } from './database/database-options';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { HealthModule } from './health/health.module';
import { HousesModule } from './houses/houses.module';
import { OccupancyModule } from './occupancy/occupancy.module';
import { CommonModule } from './common/common.module';

@Module({})
export class AppModule {
  static forRoot(env: Environment): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: env.LOG_LEVEL,
            genReqId: (request) => (request as { id?: string }).id ?? requestIdFor(request),
            customProps: (request) => ({ requestId: (request as { id?: string }).id }),
            // Bodies are never logged, and neither are credentials or query strings that
            // could carry a name: only method, route and status.
            serializers: {
              req: (req: { method: string; url: string }) => ({
                method: req.method,
                path: req.url.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            redact: { paths: ['req.headers', 'res.headers'], remove: true },
            autoLogging: { ignore: (request) => (request.url ?? '').startsWith('/health') },
          },
        }),
        // Retries cover Postgres starting next to us (docker compose); then start-up fails.
        TypeOrmModule.forRoot({ ...databaseOptions(env), retryAttempts: 10, retryDelay: 1500 }),
        RedisModule,
        CommonModule,
        AuditModule,
        AuthModule,
        HousesModule,
        OccupancyModule,
        FollowUpsModule.forRoot(env),
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
