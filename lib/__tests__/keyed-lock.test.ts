import { InMemoryKeyedLock } from '../keyed-lock.js';

const tick = () => new Promise((r) => setImmediate(r));

test('holders of one key run one at a time, in order; other keys run alongside', async () => {
  const lock = new InMemoryKeyedLock();
  const events: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const work = (key: string, name: string) =>
    lock.run(key, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      events.push(`start ${name}`);
      await tick();
      await tick();
      events.push(`end ${name}`);
      running--;
      return name;
    });
  const results = await Promise.all([work('k', 'a'), work('k', 'b'), work('k', 'c')]);
  expect(results).toEqual(['a', 'b', 'c']);
  expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  expect(maxRunning).toBe(1);

  running = 0;
  maxRunning = 0;
  await Promise.all([work('x', 'x'), work('y', 'y')]);
  expect(maxRunning).toBe(2);
  expect(lock.size).toBe(0);
});

test('a failing holder releases the key for the next one', async () => {
  const lock = new InMemoryKeyedLock();
  const first = lock.run('k', async () => {
    await tick();
    throw new Error('boom');
  });
  const second = lock.run('k', async () => 'ok');
  await expect(first).rejects.toThrow('boom');
  await expect(second).resolves.toBe('ok');
  expect(lock.size).toBe(0);
});
