import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';

/** Deeper than any body of the contract (a referral is 3 levels), far below a stack's limit. */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether the JSON text nests objects and arrays deeper than `max`, found by one loop over the
 * bytes (brackets inside strings do not count). Nothing recursive may see a body before this:
 * the NUL check and class-transformer walk it recursively, and 50,000 levels overflow the stack.
 */
export function jsonDepthExceeds(text: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) {
        i += 1;
      } else if (byte === QUOTE) {
        inString = false;
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth += 1;
      if (depth > max) {
        return true;
      }
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * The JSON body parser: Fastify's own (which refuses `__proto__` and `constructor` keys), after
 * the depth check. Registered in place of Nest's, so it is also the only parser Nest adds.
 */
export function jsonBodyParser(
  fastify: FastifyInstance,
): (
  request: FastifyRequest,
  body: Buffer,
  done: (error: Error | null, body?: unknown) => void,
) => void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
      done(
        DomainError.validation(
          'body',
          `body must not nest objects or arrays deeper than ${MAX_JSON_DEPTH} levels`,
        ),
      );
      return;
    }
    void parse(request, body.toString('utf8'), done);
  };
}
