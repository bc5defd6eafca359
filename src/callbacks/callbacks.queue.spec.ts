import {
  CALLBACK_JOB_OPTIONS,
  callbackAttempts,
  callbackRetryDelayMs,
  RETRY_CAP_MS,
} from './callbacks.queue';

describe('callback retries', () => {
  it('double from ten seconds and stop growing at an hour', () => {
    expect([1, 2, 3, 4].map(callbackRetryDelayMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(callbackRetryDelayMs(30)).toBe(RETRY_CAP_MS);
  });

  it('go on for at least 24 hours before the job fails for good', () => {
    const attempts = callbackAttempts();
    let waited = 0;
    for (let made = 1; made < attempts; made++) {
      waited += callbackRetryDelayMs(made);
    }
    expect(waited).toBeGreaterThanOrEqual(24 * 60 * 60_000);
    expect(CALLBACK_JOB_OPTIONS.attempts).toBe(attempts);
  });
});
