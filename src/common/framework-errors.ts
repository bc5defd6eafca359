import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Statuses Fastify or Node answer before any route runs, with the contract's words for them. */
const MESSAGES: Record<number, string> = {
  400: 'The request is malformed',
  408: 'The request took too long to arrive',
  414: 'The URL is too long',
  431: 'The request headers are too large',
};

/**
 * The contract's error body for an answer given before Nest sees the request. The URL is never
 * echoed (it may carry a name); every such answer is a malformed request, VALIDATION_FAILED.
 */
export function frameworkErrorBody(status: number): string {
  return JSON.stringify({
    statusCode: status,
    code: 'VALIDATION_FAILED',
    message: MESSAGES[status] ?? MESSAGES[400],
  });
}

/**
 * Fastify's `frameworkErrors`: a malformed percent-encoding (FST_ERR_BAD_URL) or a parameter
 * over maxParamLength (414). The onRequest hooks have not run, so the headers every answer
 * carries are set here.
 */
export function frameworkErrorHandler(headers: Record<string, string>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode === 414 ? 414 : 400;
    void reply
      .code(status)
      .headers(headers)
      .header('X-Request-Id', request.id)
      .header('Cache-Control', 'no-store')
      .header('Content-Type', 'application/json; charset=utf-8')
      .send(frameworkErrorBody(status));
  };
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request (a
 * DEL byte in a header, headers or a URL over 16 KB). Written on the socket, which then closes.
 */
export function clientErrorHandler(headers: Record<string, string>) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 408
          : 400;
    const body = frameworkErrorBody(status);
    const lines = Object.entries({
      ...headers,
      'X-Request-Id': randomUUID(),
      'Cache-Control': 'no-store',
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(
      `HTTP/1.1 ${status} ${MESSAGES[status] ?? 'Bad Request'}\r\n${lines.join('')}\r\n${body}`,
    );
  };
}
