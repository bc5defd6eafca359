import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { RateLimiter } from '../common/rate-limiter';
import { Config } from '../config/config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ReferrersController } from './referrers.controller';
import { ReferrersRepository } from './referrers.repository';
import { ReferrersService } from './referrers.service';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [Config],
      useFactory: (config: Config) => ({
        // A KeyObject, not the string: jsonwebtoken otherwise turns the string into a key on
        // every verification (by first trying, and failing, to read it as a public key), which
        // measured here as a third of the CPU of every authenticated request.
        secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.jwtExpiresInSeconds },
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ReferrersController],
  providers: [
    AuthService,
    UsersRepository,
    UsersService,
    ReferrersRepository,
    ReferrersService,
    SessionsRepository,
    SessionsService,
    RateLimiter,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  // JwtModule and SessionsRepository: the queue board signs its own short-lived cookie with the
  // same key, and checks the staff session behind it like the guard does.
  // ReferrersRepository: the callback worker turns a referrer's callback off on a 410.
  exports: [RateLimiter, JwtModule, SessionsRepository, ReferrersRepository],
})
export class AuthModule {}
