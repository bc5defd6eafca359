import { Injectable } from '@nestjs/common';

/** The one source of "now", so that tests can move time instead of waiting for it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
