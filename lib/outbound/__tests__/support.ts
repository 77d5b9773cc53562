// A scripted transport for the stage tests: each call takes the next answer (a status, an error,
// or a promise the test settles), and every call it saw is kept.
import { BufferedResponse, type ResponseHeaderMap } from '../../http-pool.js';
import type { OutboundCall, Send } from '../pipeline.js';

export type Scripted = number | Error | ((call: OutboundCall) => Promise<BufferedResponse>);

export function answer(status: number, body = '{}', headers: Record<string, string> = {}) {
  const map = new Map(Object.entries({ 'content-type': 'application/json', ...headers }));
  const h = {
    get: (n: string) => map.get(n.toLowerCase()) ?? null,
  } as unknown as ResponseHeaderMap;
  return new BufferedResponse('http://upstream.test/x', status, '', h, Buffer.from(body));
}

export function scripted(
  ...script: Scripted[]
): Send<BufferedResponse> & { calls: OutboundCall[] } {
  const calls: OutboundCall[] = [];
  const send = async (call: OutboundCall) => {
    calls.push(call);
    const next = script.shift() ?? 200;
    if (typeof next === 'number') return answer(next);
    if (next instanceof Error) throw next;
    return next(call);
  };
  return Object.assign(send, { calls });
}

export const call = (over: Partial<OutboundCall> = {}): OutboundCall => ({
  target: 'crm',
  key: 'http://upstream.test',
  method: 'GET',
  url: 'http://upstream.test/x',
  headers: {},
  timeoutMs: 1_000,
  ...over,
});

/** Never answers; rejects with the call's signal's reason when it is aborted. */
export const hang = (c: OutboundCall) =>
  new Promise<BufferedResponse>((_, reject) => {
    const abort = () => {
      const err = new Error('aborted');
      err.name = 'AbortError';
      reject(err);
    };
    if (c.signal?.aborted) abort();
    c.signal?.addEventListener('abort', abort, { once: true });
  });
