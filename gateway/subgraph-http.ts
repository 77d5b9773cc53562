// The gateway's HTTP client for its subgraphs: node:http(s) over one keep-alive pool per
// subgraph (a bounded number of sockets; requests beyond it wait for a free one), answering the
// small fetch shape @apollo/gateway's RemoteGraphQLDataSource reads (`@apollo/utils.fetcher`:
// status, ok, headers.get, json, text).
//
// Why not the global fetch: undici's fetch builds a WHATWG Request, Response, ReadableStream and
// AbortSignal per call (all "transferable" objects in Node 20). Profiled under `npm run bench`,
// that was the largest part of the gateway's own CPU per request; a subgraph fetch needs none of
// it: one JSON POST, one buffered JSON answer.
import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

/** The fetch shape @apollo/gateway's data source calls (its `@apollo/utils.fetcher` types). */
type Fetcher = RemoteGraphQLDataSource['fetcher'];
export type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

export interface SubgraphPoolOptions {
  /** Most open sockets to one subgraph; more concurrent fetches queue for a free socket. */
  maxSockets: number;
  /**
   * How long an idle socket is kept. The subgraph's own `Keep-Alive: timeout=…` hint shortens
   * it (Node's agent honours the hint), so the gateway never reuses a socket the server closes.
   */
  idleMs?: number;
}

/** A subgraph answer larger than this is refused, not buffered (a subgraph bug must not exhaust memory). */
export const MAX_SUBGRAPH_RESPONSE_BYTES = 32 * 1024 * 1024;

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
class ResponseHeaders implements FetcherHeaders {
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

/** A whole, already-read subgraph answer. */
export class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: FetcherHeaders,
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

/** One keep-alive pool to one subgraph origin. */
export class SubgraphHttpPool {
  private readonly agent: http.Agent;
  /** Parsed once: a data source fetches the same URL every time. */
  private readonly targets = new Map<string, URL>();

  constructor(url: string, o: SubgraphPoolOptions) {
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
  send(url: string, init: FetcherRequestInit, signal: AbortSignal): Promise<BufferedResponse> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(transportError('AbortError', 'aborted before sending', signal.reason));
        return;
      }
      let target = this.targets.get(url);
      if (!target) {
        if (this.targets.size >= 32) this.targets.clear();
        this.targets.set(url, (target = new URL(url)));
      }
      const body = init.body ?? '';
      const client = target.protocol === 'https:' ? https : http;
      const req = client.request(target, {
        method: init.method ?? 'POST',
        agent: this.agent,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(body)) },
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
          if (size > MAX_SUBGRAPH_RESPONSE_BYTES)
            fail(new Error(`answer larger than ${MAX_SUBGRAPH_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', fail);
        // Closed before its end: the subgraph (or the network) cut the answer short.
        res.on('close', () => {
          if (!res.complete) fail(new Error('the subgraph closed the connection mid-answer'));
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
