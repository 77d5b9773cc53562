// Keep-alive HTTP pools over node:http(s): one per origin, a bounded number of sockets (more
// concurrent requests wait for a free one), each answer read whole into memory under the call's
// AbortSignal, answered in the small fetch shape callers read (status, ok, headers.get, text,
// json). The gateway uses one per subgraph; lib/upstream-http.ts one per Salesforce origin.
//
// Why not the global fetch: undici's fetch builds a WHATWG Request, Response, ReadableStream and
// AbortSignal per call (all "transferable" objects in Node 20). Profiled under `npm run bench`,
// that was the largest part of the gateway's own CPU per request, and of each subgraph's; a
// GraphQL or Salesforce REST call needs none of it: one request body, one buffered JSON answer.
import http from 'node:http';
import https from 'node:https';

export interface PoolOptions {
  /** Most open sockets to the origin; more concurrent requests queue for a free socket. */
  maxSockets: number;
  /**
   * How long an idle socket is kept. The server's own `Keep-Alive: timeout=…` hint shortens it
   * (Node's agent honours the hint), so a socket the server is about to close is never reused.
   */
  idleMs?: number;
}

export interface PoolRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * 'follow' (default): up to MAX_REDIRECTS redirects, as fetch does (303, and 301/302 after a
   * POST, become a GET without a body). 'manual': a 3xx is the answer (its Location readable).
   */
  redirect?: 'follow' | 'manual';
}

/** An answer larger than this is refused, not buffered (a bad peer must not exhaust memory). */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

/** An error of the transport, named as fetch names its own, so callers classify one way. */
function transportError(name: 'AbortError' | 'TypeError', message: string, cause?: unknown) {
  const err = new Error(message, { cause });
  err.name = name;
  return err;
}

/**
 * Response headers as the fetcher interface wants them, read in place from Node's parsed headers
 * (names already lower-cased, repeats already joined except set-cookie): nothing is copied for
 * an answer whose headers only `content-type` is read of.
 */
/** Response headers, the methods of WHATWG Headers that callers use. */
export interface ResponseHeaderMap extends Iterable<[string, string]> {
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
}

class ResponseHeaders implements ResponseHeaderMap {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  private static join(value: string | string[] | undefined): string | null {
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  append(name: string, value: string) {
    const was = this.get(name);
    this.raw[name.toLowerCase()] = was === null ? value : `${was}, ${value}`;
  }
  delete(name: string) {
    delete this.raw[name.toLowerCase()];
  }
  get(name: string) {
    return ResponseHeaders.join(this.raw[name.toLowerCase()]);
  }
  has(name: string) {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  set(name: string, value: string) {
    this.raw[name.toLowerCase()] = value;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const [k, v] of Object.entries(this.raw))
      if (v !== undefined) yield [k, ResponseHeaders.join(v)!];
  }
  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** A whole, already-read answer. */
export class BufferedResponse {
  readonly redirected = false;
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: ResponseHeaderMap,
    private readonly body: Buffer,
  ) {}

  get ok() {
    return this.status >= 200 && this.status < 300;
  }
  get bodyUsed() {
    return this.used;
  }
  private take(): Buffer {
    if (this.used) throw new TypeError('Body has already been read');
    this.used = true;
    return this.body;
  }
  async text() {
    return this.take().toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.take().toString('utf8'));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  clone() {
    return new BufferedResponse(this.url, this.status, this.statusText, this.headers, this.body);
  }
}

/** One keep-alive pool to one origin. */
export class HttpPool {
  private readonly agent: http.Agent;

  constructor(url: string, o: PoolOptions) {
    const Agent = new URL(url).protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: o.maxSockets,
      // A free socket's idle timeout; an active request is bounded by its signal instead.
      timeout: o.idleMs ?? 4_000,
      scheduling: 'lifo',
    });
  }

  /**
   * Sends one request and reads the whole answer, both under `signal`: when it aborts, the
   * socket is destroyed and the promise rejects with an AbortError.
   */
  async send(url: string, init: PoolRequest, signal: AbortSignal): Promise<BufferedResponse> {
    let target = url;
    let request = init;
    for (let hops = 0; ; hops++) {
      const res = await this.sendOnce(target, request, signal);
      const location = res.headers.get('location');
      if (request.redirect === 'manual' || res.status < 300 || res.status > 399 || !location)
        return res;
      if (hops === MAX_REDIRECTS)
        throw transportError('TypeError', `more than ${MAX_REDIRECTS} redirects from ${url}`);
      const next = new URL(location, target);
      // Same origin only: this pool's sockets and this caller's credentials go nowhere else.
      if (next.origin !== new URL(url).origin)
        throw transportError('TypeError', `redirect to another origin (${next.origin}) refused`);
      target = next.href;
      // Fetch's rule: 303, and 301/302 after a POST, become a GET without a body.
      const method = (request.method ?? 'GET').toUpperCase();
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        const headers = { ...request.headers };
        for (const k of Object.keys(headers))
          if (/^content-(type|length)$/i.test(k)) delete headers[k];
        request = { ...request, method: 'GET', body: undefined, headers };
      }
    }
  }

  private sendOnce(url: string, init: PoolRequest, signal: AbortSignal): Promise<BufferedResponse> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(transportError('AbortError', 'aborted before sending', signal.reason));
        return;
      }
      const target = new URL(url);
      const method = (init.method ?? 'GET').toUpperCase();
      const body = init.body ?? '';
      const client = target.protocol === 'https:' ? https : http;
      const req = client.request(target, {
        method,
        agent: this.agent,
        headers:
          init.body === undefined && (method === 'GET' || method === 'HEAD')
            ? init.headers
            : { ...init.headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      let settled = false;
      const onAbort = () =>
        fail(transportError('AbortError', 'the call was aborted', signal.reason));
      // Settles once: the first of an answer, a transport error, an abort or an oversize body.
      function fail(err: Error) {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        req.destroy();
        reject(err.name === 'AbortError' ? err : transportError('TypeError', err.message, err));
      }
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES)
            fail(new Error(`answer larger than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', fail);
        // Closed before its end: the server (or the network) cut the answer short.
        res.on('close', () => {
          if (!res.complete) fail(new Error('the server closed the connection mid-answer'));
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          resolve(
            new BufferedResponse(
              url,
              res.statusCode ?? 0,
              res.statusMessage ?? '',
              new ResponseHeaders(res.headers),
              Buffer.concat(chunks, size),
            ),
          );
        });
      });
      req.end(body);
    });
  }

  /** Closes idle sockets (active ones end with their requests). */
  close() {
    this.agent.destroy();
  }
}
