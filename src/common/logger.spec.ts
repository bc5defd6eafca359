import { Writable } from 'node:stream';
import pino from 'pino';
import { PinoNestLogger } from './logger';

function capture(): { logger: PinoNestLogger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    logger: new PinoNestLogger(pino({ level: 'info' }, stream)),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('PinoNestLogger', () => {
  it('writes Nest-style calls as structured lines with their context', () => {
    const { logger, lines } = capture();
    logger.log('Seeded 5 houses', 'Refugio');
    logger.error(
      { requestId: 'r-1', err: { name: 'QueryFailedError' } },
      'request failed',
      'HttpExceptionFilter',
    );
    logger.warn('plain warning');
    logger.debug('not written at info');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 30, context: 'Refugio', msg: 'Seeded 5 houses' }),
      expect.objectContaining({
        level: 50,
        context: 'HttpExceptionFilter',
        requestId: 'r-1',
        err: { name: 'QueryFailedError' },
        msg: 'request failed',
      }),
      expect.objectContaining({ level: 40, msg: 'plain warning' }),
    ]);
  });

  it("keeps Nest's own error(message, stack, context) stack apart from the message", () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at somewhere (file.js:1:1)', 'ExceptionHandler');
    expect(lines()[0]).toEqual(
      expect.objectContaining({
        msg: 'boom',
        context: 'ExceptionHandler',
        stack: expect.stringContaining('at somewhere'),
      }),
    );
  });
});
