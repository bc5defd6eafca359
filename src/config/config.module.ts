import { DynamicModule, Global, Module } from '@nestjs/common';
import { Config } from './config';

/**
 * The validated settings are injected by their class, so every consumer gets typed namespaces.
 * It is validated before Nest starts (see main.ts), which is why @nestjs/config is not used.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: Config, useValue: config }],
      exports: [Config],
    };
  }
}
