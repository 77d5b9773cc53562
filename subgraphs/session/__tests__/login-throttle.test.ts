import { LoginThrottle } from '../login-throttle.js';

test('refuses a username after N failures in the window, without touching other users', () => {
  let now = 0;
  const t = new LoginThrottle({ perUsername: 3, perAddress: 100, windowSeconds: 60 }, () => now);
  for (let i = 0; i < 3; i++) t.recordFailure('Ada@example.org', '10.0.0.1');
  expect(t.retryAfter('ada@example.org', '10.0.0.1')).toBe(60);
  expect(t.retryAfter('grace@example.org', '10.0.0.1')).toBe(0);
  now = 61_000;
  expect(t.retryAfter('ada@example.org', '10.0.0.1')).toBe(0);
});

test('refuses an address that tries many usernames', () => {
  const t = new LoginThrottle({ perUsername: 100, perAddress: 5, windowSeconds: 60 }, () => 0);
  for (let i = 0; i < 5; i++) t.recordFailure(`user${i}@example.org`, '10.0.0.9');
  expect(t.retryAfter('someone@example.org', '10.0.0.9')).toBeGreaterThan(0);
  expect(t.retryAfter('someone@example.org', '10.0.0.10')).toBe(0);
});

test('a successful login clears the username count', () => {
  const t = new LoginThrottle({ perUsername: 2, perAddress: 100, windowSeconds: 60 }, () => 0);
  t.recordFailure('a@example.org', undefined);
  t.recordSuccess('a@example.org');
  t.recordFailure('a@example.org', undefined);
  expect(t.retryAfter('a@example.org', undefined)).toBe(0);
});
