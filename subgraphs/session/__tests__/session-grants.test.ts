// The access-token → refresh-token memory a logout uses: neither token is stored as it is.
import { SessionGrants, type GrantStore } from '../session-grants.js';

class RecordingStore implements GrantStore {
  readonly entries = new Map<string, string>();
  get(key: string) {
    return Promise.resolve(this.entries.get(key));
  }
  set(key: string, value: string) {
    this.entries.set(key, value);
    return Promise.resolve();
  }
  delete(key: string) {
    this.entries.delete(key);
    return Promise.resolve();
  }
}

test('only the holder of the access token can read its refresh token back', async () => {
  const store = new RecordingStore();
  const grants = new SessionGrants(store, 60_000);
  await grants.remember('00Dxx!AQ4AQaccess', '5Aep861refresh');
  expect(await grants.refreshTokenOf('00Dxx!AQ4AQaccess')).toBe('5Aep861refresh');
  expect(await grants.refreshTokenOf('00Dxx!AQ4AQother')).toBeUndefined();
  const dump = JSON.stringify([...store.entries]);
  expect(dump).not.toContain('access');
  expect(dump).not.toContain('refresh');
  await grants.forget('00Dxx!AQ4AQaccess');
  expect(store.entries.size).toBe(0);
});
