import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERROR_STATUS, ErrorCode, FieldError } from './domain-error';
import { pgErrorCode } from './pg-errors';

interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
  requestId?: string;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Messages for framework errors, so that no library text (or its internals) reaches a caller. */
const MESSAGE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'The request is malformed',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Not allowed for this role',
  NOT_FOUND: 'Not found',
  PAYLOAD_TOO_LARGE: 'The request body is larger than 1 MB',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json',
  RATE_LIMITED: 'Too many requests',
  SERVICE_UNAVAILABLE: 'A backing service is unavailable; try again shortly',
};

/** SQLSTATE classes that mean the database is unreachable or going away, not a bug. */
const UNAVAILABLE_PG_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
]);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

const RELEASED_RUNNER_ERRORS = new Set([
  'QueryRunnerProviderAlreadyReleasedError',
  'QueryRunnerAlreadyReleasedError',
]);

function isUnavailable(error: unknown): boolean {
  // TypeORM releases a query runner as soon as its connection reports an error, so the next
  // query (or the COMMIT) of a transaction whose backend was terminated finds the runner gone.
  if (error instanceof Error && RELEASED_RUNNER_ERRORS.has(error.name)) {
    return true;
  }
  const code = pgErrorCode(error);
  if (code !== undefined && (UNAVAILABLE_PG_CODES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  // pg-pool's "timeout exceeded when trying to connect": every connection of the pool stayed
  // busy for connectionTimeoutMillis. Overload, not a bug: the caller may retry shortly.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpException) {
    return error.getStatus();
  }
  // Fastify's own errors (body parser, content type) carry a 4xx statusCode.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** The one place where errors become HTTP: the contract's shape, and never internals. */
export function toErrorBody(error: unknown, requestId: string | undefined): ErrorBody {
  if (error instanceof DomainError) {
    const body: ErrorBody = {
      statusCode: ERROR_STATUS[error.code],
      code: error.code,
      message: error.message,
    };
    if (error.errors) {
      body.errors = error.errors;
    }
    if (error.code === 'INTERNAL' || error.code === 'SERVICE_UNAVAILABLE') {
      body.requestId = requestId;
    }
    return body;
  }
  const status = statusOf(error);
  if (error instanceof HttpException && status === 503) {
    // Terminus: name the checks that failed, which tells an operator where to look.
    const failed = Object.keys((error.getResponse() as { error?: object }).error ?? {});
    return {
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: failed.length > 0 ? `Not ready: ${failed.join(', ')}` : 'Not ready',
    };
  }
  if (status !== undefined) {
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    return {
      statusCode: ERROR_STATUS[code],
      code,
      message: MESSAGE_BY_CODE[code] ?? 'Request failed',
    };
  }
  if (isUnavailable(error)) {
    return {
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: MESSAGE_BY_CODE.SERVICE_UNAVAILABLE as string,
      requestId,
    };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Internal error', requestId };
}

/** What may be logged of an unexpected error: never the driver's `detail`, which holds values. */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    return { type: typeof error };
  }
  return {
    name: error.name,
    code: pgErrorCode(error),
    message: error.message,
    stack: error.stack,
  };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<FastifyRequest>();
    const reply = context.getResponse<FastifyReply>();
    const body = toErrorBody(error, request.id);
    if (body.statusCode >= 500) {
      this.logger.error({ err: loggableError(error), requestId: request.id }, 'request failed');
    }
    if (error instanceof DomainError && error.retryAfter !== undefined) {
      void reply.header('Retry-After', String(error.retryAfter));
    }
    void reply.status(body.statusCode).send(body);
  }
}
