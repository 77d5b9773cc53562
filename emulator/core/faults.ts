// Fault injection (/__emulator/faults): the failures a real org produces, on demand, per API
// family or path, for N calls or at a rate.
import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import type { Family } from './call-log.js';
import { sendFamilyError } from './error-bodies.js';

export type FaultKind =
  /** Delay the call by `latencyMs`, then answer normally. */
  | 'latency'
  /**
   * Hold each call until no matching call has arrived for `latencyMs`, then answer every held
   * call: the calls a client sends together (a wave) are answered together however slowly the
   * machine sends them, so the sequential round trips of a request can be counted from the call
   * log (test/support/hops.ts) without depending on the machine's speed.
   */
  | 'settle'
  /** Answer `status` with the family's error envelope (5xx bursts, 403 limits, …). */
  | 'status'
  /** Expire every live token of the family first, so the call fails the way a timed-out session does. */
  | 'expired-session'
  /** 429 with `Retry-After: retryAfterSeconds` (SCAPI/Data Cloud/Identity throttling; CRM concurrency). */
  | 'throttle'
  /** Never answer: the client has to time out. */
  | 'timeout'
  /** Perform the call (commit the write), then drop the connection instead of answering. */
  | 'lose-response'
  /**
   * Perform the call, but answer an error (status ≥ 400) with `errorBody` (default `{}`)
   * instead of the family's body: the same status with other words, or none. Where Salesforce
   * documents no error strings (Headless Identity's refusals), a client must decide on the
   * status; this proves it does.
   */
  | 'error-body'
  /**
   * Read the whole request (Salesforce has received the write), then perform it `latencyMs`
   * later whatever the caller did meanwhile (timed out, disconnected): the write commits after
   * everyone gave up on it. `latency` cannot show this: it delays before reading the request.
   */
  | 'commit-late';

export interface FaultRule {
  id: string;
  kind: FaultKind;
  family?: Family;
  method?: string;
  /** Substring the path (below the family prefix) must contain. */
  path?: string;
  status?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
  /** 'error-body': the JSON body every error answer carries instead of its own. */
  errorBody?: Record<string, unknown>;
  /** Apply to this many matching calls, then retire (default: until removed). */
  count?: number;
  /** Let this many matching calls through untouched before applying (default 0). */
  skip?: number;
  /** Probability 0..1 that a matching call is hit (default 1). */
  rate?: number;
  hits: number;
  /** Matching calls let through by `skip` so far. */
  skipped?: number;
}

export type FaultInput = Omit<FaultRule, 'id' | 'hits' | 'skipped'>;

/** A write a 'commit-late' fault received and has not performed yet. */
interface LateWrite {
  rule: string;
  timer: NodeJS.Timeout;
  perform(): void;
}

/**
 * Events: `received` (rule id) when a 'commit-late' fault has read a write's request, `committed`
 * (rule id, status) when the write was performed — tests wait on these instead of sleeping.
 */
export class FaultInjector extends EventEmitter {
  private rules: FaultRule[] = [];
  private seq = 0;
  /** Sockets held open by 'timeout' faults, destroyed on reset/close. */
  private held = new Set<Response>();
  /** Calls a 'settle' rule holds, per rule, and the timer that releases them. */
  private settling = new Map<string, { waiting: NextFunction[]; timer?: NodeJS.Timeout }>();
  /** Writes received by 'commit-late' faults, not performed yet. */
  private late = new Set<LateWrite>();

  constructor(private readonly expireSessions: (family: Family) => void) {
    super();
  }

  /**
   * Performs now every write a 'commit-late' fault (all, or the rule `id`) holds, instead of at
   * its `latencyMs`; returns how many. Tests use it to decide when the late commit lands.
   */
  commitLateNow(id?: string): number {
    let n = 0;
    for (const w of [...this.late])
      if (id === undefined || w.rule === id) {
        clearTimeout(w.timer);
        w.perform();
        n++;
      }
    return n;
  }

  /** Writes 'commit-late' faults have received and not performed yet. */
  get lateWrites(): number {
    return this.late.size;
  }

  add(input: FaultInput): FaultRule {
    const rule: FaultRule = {
      ...input,
      method: input.method?.toUpperCase(),
      id: `f${++this.seq}`,
      hits: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  reset(): void {
    this.rules = [];
    for (const { waiting, timer } of this.settling.values()) {
      clearTimeout(timer);
      for (const next of waiting) next();
    }
    this.settling.clear();
    // A reset drops the writes still held: they never commit.
    for (const w of this.late) clearTimeout(w.timer);
    this.late.clear();
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  private match(family: Family, method: string, path: string): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.family && r.family !== family) continue;
      if (r.method && r.method !== method) continue;
      if (r.path && !path.includes(r.path)) continue;
      if (r.count !== undefined && r.hits >= r.count) continue;
      if (r.rate !== undefined && Math.random() >= r.rate) continue;
      if (r.skip && (r.skipped ?? 0) < r.skip) {
        r.skipped = (r.skipped ?? 0) + 1;
        continue;
      }
      r.hits++;
      return r;
    }
    return undefined;
  }

  /** Express middleware for one family's router. */
  middleware(family: Family) {
    return (req: Request, res: Response, next: NextFunction) => {
      const rule = this.match(family, req.method, req.path);
      if (!rule) return next();
      switch (rule.kind) {
        case 'latency':
          setTimeout(next, rule.latencyMs ?? 1000);
          return;
        case 'settle': {
          let wave = this.settling.get(rule.id);
          if (!wave) this.settling.set(rule.id, (wave = { waiting: [] }));
          wave.waiting.push(next);
          clearTimeout(wave.timer);
          const current = wave;
          current.timer = setTimeout(() => {
            this.settling.delete(rule.id);
            for (const release of current.waiting) release();
          }, rule.latencyMs ?? 300);
          return;
        }
        case 'status':
          return sendFamilyError(res, family, rule.status ?? 503);
        case 'expired-session':
          this.expireSessions(family);
          return next();
        case 'throttle':
          res.setHeader('Retry-After', String(rule.retryAfterSeconds ?? 1));
          return sendFamilyError(res, family, 429);
        case 'timeout':
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          return;
        case 'error-body': {
          const json = res.json.bind(res);
          res.json = ((body: unknown) =>
            json(res.statusCode >= 400 ? (rule.errorBody ?? {}) : body)) as typeof res.json;
          return next();
        }
        case 'commit-late':
          return this.commitLate(rule, req, res, next);
        case 'lose-response': {
          const socket = res.socket;
          res.writeHead = (() => {
            socket?.destroy();
            return res;
          }) as typeof res.writeHead;
          res.end = (() => {
            socket?.destroy();
            return res;
          }) as typeof res.end;
          return next();
        }
      }
    };
  }

  /**
   * Reads the request to its end (the platform has received it), then hands it to the handler
   * after `latencyMs` — or at commitLateNow — whether or not the caller is still there. The
   * body is parsed here (JSON, as every family's write takes it); the routers' body parsers see
   * a finished request and keep it.
   */
  private commitLate(rule: FaultRule, req: Request, res: Response, next: NextFunction) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text) {
        try {
          req.body = JSON.parse(text);
        } catch {
          req.body = text;
        }
      }
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<typeof res.end>) => {
        const out = end(...args);
        this.emit('committed', rule.id, res.statusCode);
        return out;
      }) as typeof res.end;
      const write: LateWrite = {
        rule: rule.id,
        timer: setTimeout(() => write.perform(), rule.latencyMs ?? 1000),
        perform: () => {
          if (!this.late.delete(write)) return;
          next();
        },
      };
      this.late.add(write);
      this.emit('received', rule.id);
    });
  }
}
