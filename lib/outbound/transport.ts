// Transport stage (the innermost): sends the call and reads its whole answer under the call's
// signal, over a keep-alive pool (lib/http-pool.ts), or an injected fetch (tests, TLS pinning).
// A failure without an answer is typed UPSTREAM_UNAVAILABLE here; an abort is left for the
// deadline and cancel stages to name.
import { UpstreamError } from '../errors.js';
import { BufferedResponse, type HttpPool, type ResponseHeaderMap } from '../http-pool.js';
import { isAbort, type Send } from './pipeline.js';

export function transport(o: {
  pool: (url: string) => HttpPool;
  fetch?: typeof fetch;
}): Send<BufferedResponse> {
  return async (call) => {
    const signal = call.signal ?? new AbortController().signal;
    let res;
    try {
      if (!o.fetch)
        return await o.pool(call.url).send(
          call.url,
          {
            method: call.method,
            headers: call.headers,
            body: call.body,
            redirect: call.redirect,
          },
          signal,
        );
      res = await o.fetch(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.body,
        redirect: call.redirect,
        signal,
      });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw UpstreamError.unreachable(
        call.target,
        `${call.target} unreachable: ${(err as Error).message}`,
      );
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (isAbort(err)) throw err;
      throw UpstreamError.unreachable(call.target, `${call.target} answer was cut off`);
    }
    return new BufferedResponse(
      call.url,
      res.status,
      res.statusText,
      res.headers as unknown as ResponseHeaderMap,
      Buffer.from(text, 'utf8'),
    );
  };
}
