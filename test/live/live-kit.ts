// What the live tests share: graphql-ws and graphql-sse clients against a stack's gateway that
// collect what arrives, bounded waits, a citizen with an open case, and CRM writes as an agent.
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import WebSocket from 'ws';
import type { Stack } from '../harness.js';
import { agentHeaders, loginAs } from '../client.js';
import { budget } from '../support/budget.js';
import { waitFor } from '../support/wait-for.js';

export interface Received {
  data?: {
    caseUpdated: {
      kind: string;
      changedFields: string[];
      case: {
        id: string;
        status: string;
        comments: Array<{ body: string }>;
        citizen: { displayName: string };
      };
    };
  };
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** A subscription's request as the clients send it (`extensions` for a documentId / APQ hash). */
export interface LivePayload {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

export function sink() {
  const results: Received[] = [];
  const errors: unknown[] = [];
  let completed = false;
  return {
    results,
    errors,
    completed: () => completed,
    observer: {
      next: (r: unknown) => results.push(r as Received),
      error: (e: unknown) => errors.push(e),
      complete: () => (completed = true),
    },
  };
}

let probes = 0;
/** A probe's event (`probeLive`): only the description changed. */
export const isProbe = (r: Received) =>
  JSON.stringify(r.data?.caseUpdated?.changedFields) === '["description","updatedAt"]';
/** The results without the probes' events. */
export const withoutProbes = (results: Received[]) => results.filter((r) => !isProbe(r));

/** Resolves when `ok()` holds (polled); fails after a share of the suite's budget. */
export const until = (ok: () => boolean, ms = budget(0.5)) =>
  waitFor(ok, { what: 'the subscription results', timeoutMs: ms });

/**
 * Clients and fixtures bound to one stack; `closeAll` disposes every client opened. `login`
 * signs a citizen in (default: the login mutation as a raw document).
 */
export function liveKit(
  stack: () => Stack,
  login: (username: string, password: string) => Promise<Record<string, string>> = (u, p) =>
    loginAs(stack(), u, p),
) {
  const closers: Array<() => void | Promise<void>> = [];

  /** A graphql-ws client on the gateway (one connection), disposed by closeAll. */
  function wsClient(authorization: string): WsClient {
    const client = createWsClient({
      url: `${stack().gatewayUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
      retryAttempts: 0,
    });
    closers.push(() => client.dispose());
    return client;
  }

  function overWs(authorization: string, payload: LivePayload) {
    const client = wsClient(authorization);
    const s = sink();
    client.subscribe(payload, s.observer);
    return s;
  }

  function overSse(authorization: string, payload: LivePayload) {
    const client: SseClient = createSseClient({
      url: `${stack().gatewayUrl}/graphql`,
      headers: { authorization },
      retryAttempts: 0,
    });
    closers.push(() => client.dispose());
    const s = sink();
    client.subscribe(payload, s.observer);
    return s;
  }

  /** The n-th citizen with an open case, the case, and their bearer header. */
  async function citizenWithCase(n: number) {
    const core = stack().emulator.core;
    let seen = 0;
    for (const c of core.world.citizens) {
      const open = core.sobjects.findBy('Case', 'ContactId', c.contactId).find((r) => !r.IsClosed);
      if (open && seen++ === n) {
        const headers = await login(c.username, core.world.citizenPassword);
        return {
          citizen: c,
          caseId: open.Id,
          authorization: headers.authorization,
          displayName: `${c.firstName} ${c.lastName}`,
        };
      }
    }
    throw new Error('no citizen with an open case');
  }

  /** A CRM REST write as the agent (what a console or a flow does; publishes the change event). */
  async function crm(method: string, path: string, body: unknown) {
    const { authorization } = await agentHeaders(stack());
    const res = await fetch(`${stack().env.CRM_LOGIN_URL}/services/data/v62.0${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status}`);
  }

  /** A status the case is not in now. */
  const otherStatus = (caseId: string) =>
    stack().emulator.core.sobjects.get('Case', caseId)!.Status === 'Escalated'
      ? 'Working'
      : 'Escalated';

  /**
   * Changes the case's status until `seen()` holds (the subscription under test got an event):
   * a subscription is live upstream a moment after it is accepted, and how long that takes
   * depends on the machine, so the write is repeated (each wait bounded) rather than timed.
   * Returns the statuses written, in order.
   */
  async function changeStatusUntil(caseId: string, seen: () => boolean, attempts = 15) {
    const written: string[] = [];
    for (let i = 0; i < attempts && !seen(); i++) {
      const status = otherStatus(caseId);
      await crm('PATCH', `/sobjects/Case/${caseId}`, { Status: status });
      written.push(status);
      await until(seen, 1000).catch(() => undefined);
    }
    if (!seen()) throw new Error(`no event after ${attempts} status changes`);
    return written;
  }

  /**
   * Waits until `sub` is live upstream for `caseId`: writes a Description the case never had and
   * waits for its event, again (each wait bounded) until one arrives — instead of sleeping on
   * "probably live by now", which a loaded machine breaks. The probe events stay in
   * `sub.results`; `withoutProbes` drops them.
   */
  async function probeLive(sub: { results: Received[] }, caseId: string, attempts = 20) {
    const from = sub.results.length;
    await probeUntil(() => sub.results.slice(from).some(isProbe), caseId, attempts);
  }

  /** Probe writes to `caseId` (each wait bounded) until `ok()` holds. */
  async function probeUntil(ok: () => boolean, caseId: string, attempts = 20) {
    for (let i = 0; i < attempts && !ok(); i++) {
      await crm('PATCH', `/sobjects/Case/${caseId}`, { Description: `live probe ${++probes}` });
      await until(ok, 1000).catch(() => undefined);
    }
    if (!ok()) throw new Error(`no probe event after ${attempts} writes`);
  }

  /**
   * Proves that nothing more arrives on `sub` (already live for `caseId`), without a sleep: one
   * probe write is queued after every change before it (one ordered stream per subscription), so
   * once its event is in, `withoutProbes(sub.results)` holds everything that came before.
   */
  async function drained(sub: { results: Received[] }, caseId: string) {
    const from = sub.results.length;
    await crm('PATCH', `/sobjects/Case/${caseId}`, { Description: `live probe ${++probes}` });
    await until(() => sub.results.slice(from).some(isProbe));
  }

  return {
    probeLive,
    probeUntil,
    drained,
    changeStatusUntil,
    wsClient,
    overWs,
    overSse,
    citizenWithCase,
    crm,
    otherStatus,
    closeAll: async () => {
      for (const c of closers.splice(0)) await c();
    },
  };
}
