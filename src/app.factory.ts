import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { apiDescription } from './common/api-description';
import { createRootLogger, PinoNestLogger } from './common/logger';
import { clientErrorHandler, frameworkErrorHandler } from './common/framework-errors';
import { jsonBodyParser } from './common/json-body';
import { requestIdFor } from './common/request-id';
import { securityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { dashboardScriptSources, mountDashboard } from './dashboard/dashboard';
import { Config } from './config/config';
import { mountQueueBoard } from './follow-ups/queue-board';
import { HttpMetrics } from './metrics/http-metrics';

export const API_PREFIX = 'api/v1';
const ONE_MEGABYTE = 1024 * 1024;

/**
 * Builds the application with everything main.ts and the tests share: Fastify, the global
 * prefix, validation, security headers, OpenAPI. It does not listen and does not migrate.
 */
export async function createApp(config: Config): Promise<NestFastifyApplication> {
  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI styles itself inline. The only inline script allowed is the dashboard's
        // import map, by its hash.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'", ...dashboardScriptSources()],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // TLS ends at the operator's proxy; forcing https here would break plain-http
        // deployments inside a private network.
        upgradeInsecureRequests: null,
      },
    },
  });
  const logger = createRootLogger(config.log);
  const adapter = new FastifyAdapter({
    // Errors raised before Nest sees a request answer in the contract's shape too.
    frameworkErrors: frameworkErrorHandler(headers),
    clientErrorHandler: clientErrorHandler(headers),
    bodyLimit: ONE_MEGABYTE,
    genReqId: requestIdFor,
    loggerInstance: logger,
    // One line per request, written below when it completes, instead of Fastify's two.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
    // Behind a proxy the operator sets TRUST_PROXY, so that login limits see the real address.
    trustProxy: config.http.trustProxy,
  });
  // abortOnError: false, so that a failure while wiring (Postgres unreachable after the
  // retries) reaches main.ts and ends as one clear line instead of Nest's stack dump.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    logger: false,
  });
  app.useLogger(new PinoNestLogger(logger));
  app.flushLogs();
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // The contract is JSON only: Fastify's text/plain parser goes, and ours (which measures the
  // depth first, src/common/json-body.ts) takes the place of Nest's JSON and urlencoded ones.
  // Any other body is answered 415.
  fastify.removeAllContentTypeParsers();
  app.useBodyParser('application/json', { bodyLimit: ONE_MEGABYTE }, jsonBodyParser(fastify));
  // Draining on SIGTERM: once closing, every answer still being worked on closes its
  // connection. Otherwise the keep-alive connection that carried it stays open after the
  // answer (Fastify closes only the connections idle when closing starts) and the process waits
  // out the 72 s keep-alive timeout, longer than any orchestrator's grace period.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) {
      void reply.header('connection', 'close');
    }
    done(null, payload);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers);
    void reply.header('X-Request-Id', request.id);
    if (request.url.startsWith('/api')) {
      // Answers carry personal data: no browser or proxy may keep a copy.
      void reply.header('Cache-Control', 'no-store');
    }
    done();
  });
  // Method, path without the query (which could carry a name), status and time: never a body,
  // never a header. The latency histogram is fed here too, by route pattern, not by path.
  const httpMetrics = app.get(HttpMetrics);
  fastify.addHook('onResponse', (request, reply, done) => {
    httpMetrics.observe(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime,
    );
    if (!request.url.startsWith('/health')) {
      request.log.info(
        {
          method: request.method,
          path: request.url.split('?')[0],
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });

  // The staff dashboard: static files over the same API (copied to dist by nest-cli's assets).
  await mountDashboard(app);

  await mountQueueBoard(app);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Refugio API')
      .setDescription(
        apiDescription({
          timeZone: config.time.zone,
          sessionMaxHours: config.auth.sessionMaxHours,
        }),
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'referrer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
