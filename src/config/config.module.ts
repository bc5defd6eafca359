import { DynamicModule, Global, Module } from '@nestjs/common';
import { Environment } from './environment';

/**
 * The validated environment is injected by its class, so every consumer gets typed settings.
 * It is validated before Nest starts (see main.ts), which is why @nestjs/config is not used.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: Environment): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: Environment, useValue: env }],
      exports: [Environment],
    };
  }
}
