import { createHmac } from 'node:crypto';
import {
  callbackUrlProblem,
  generateWebhookSecret,
  signCallback,
  verifyCallbackSignature,
} from './callback-signature';

describe('callback signature', () => {
  const secret = generateWebhookSecret();
  const body = '{"event":"referral.status_changed"}';

  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const header = signCallback('whsec_x', body, 1764500000);
    const hex = createHmac('sha256', 'whsec_x').update(`1764500000.${body}`).digest('hex');
    expect(header).toBe(`t=1764500000,v1=${hex}`);
  });

  it('verifies with the secret, and not with another secret, body or an old timestamp', () => {
    const header = signCallback(secret, body, 1000);
    expect(verifyCallbackSignature(secret, body, header, 1100)).toBe(true);
    expect(verifyCallbackSignature(generateWebhookSecret(), body, header, 1100)).toBe(false);
    expect(verifyCallbackSignature(secret, body + ' ', header, 1100)).toBe(false);
    expect(verifyCallbackSignature(secret, body, header, 1000 + 301)).toBe(false);
    expect(verifyCallbackSignature(secret, body, 't=1000,v1=zz', 1000)).toBe(false);
  });

  it('gives every referrer a different secret', () => {
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
    expect(generateWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });
});

describe('callbackUrlProblem', () => {
  it('accepts https anywhere and http outside production', () => {
    expect(callbackUrlProblem('https://comisaria.example.gov.co/refugio', true)).toBeNull();
    expect(callbackUrlProblem('http://127.0.0.1:8080/hook', false)).toBeNull();
  });

  it('refuses http in production, other schemes, credentials, fragments and non-URLs', () => {
    expect(callbackUrlProblem('http://comisaria.example/hook', true)).toBe(
      'callbackUrl must use https',
    );
    expect(callbackUrlProblem('ftp://comisaria.example/hook', false)).toMatch(/https or http/);
    expect(callbackUrlProblem('https://user:pw@comisaria.example/hook', true)).toMatch(
      /credentials/,
    );
    expect(callbackUrlProblem('https://comisaria.example/hook#x', true)).toMatch(/fragment/);
    expect(callbackUrlProblem('not a url', false)).toMatch(/absolute URL/);
  });
});
