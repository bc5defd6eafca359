import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { requestIdFor } from './common/request-id';
import { createValidationPipe } from './common/validation';
import { Environment } from './config/environment';
import { mountQueueBoard } from './follow-ups/queue-board';

export const API_PREFIX = 'api/v1';
const ONE_MEGABYTE = 1024 * 1024;

/**
 * Builds the application with everything main.ts and the tests share: Fastify, the global
 * prefix, validation, security headers, OpenAPI. It does not listen and does not migrate.
 */
export async function createApp(env: Environment): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: ONE_MEGABYTE,
    genReqId: requestIdFor,
    // Behind a proxy the operator sets TRUST_PROXY, so that login limits see the real address.
    trustProxy: env.TRUST_PROXY,
  });
  // abortOnError: false, so that a failure while wiring (Postgres unreachable after the
  // retries) reaches main.ts and ends as one clear line instead of Nest's stack dump.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    bufferLogs: true,
    abortOnError: false,
    logger: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'dashboard', method: RequestMethod.GET },
      { path: 'dashboard/{*path}', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI styles itself inline; no inline script is allowed anywhere.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    if (request.url.startsWith('/api')) {
      // Answers carry personal data: no browser or proxy may keep a copy.
      void reply.header('Cache-Control', 'no-store');
    }
    done();
  });

  await mountQueueBoard(app);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Refugio API')
      .setDescription(
        'Referrals, placement, stays, egress and follow-up for a network of Casas Refugio. ' +
          'Errors are `{ statusCode, code, message, errors? }`; see API.md for the contract.',
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'referrer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
