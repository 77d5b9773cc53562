// The principals tests sign: what the gateway would put into x-c360-principal for a seeded
// citizen (its CRM user and contact, Data Cloud and Commerce ids, and the shopper login SLAS needs).
import type { CitizenIdentity } from '../../emulator/world.js';
import {
  PRINCIPAL_HEADER,
  signPrincipal,
  type CitizenPrincipal,
  type Principal,
} from '../../lib/principal.js';

/** The seeded citizen's fields a principal carries. */
export type PrincipalSource = Pick<
  CitizenIdentity,
  'userId' | 'username' | 'contactId' | 'unifiedId' | 'commerceCustomerId' | 'email'
>;

/**
 * The signed-in citizen `c` as the gateway resolves them. `commerceLogin: false` leaves the
 * shopper login out (a principal the Commerce subgraph cannot act for).
 */
export function citizenPrincipal(
  c: PrincipalSource,
  o: { commerceLogin?: boolean } = {},
): CitizenPrincipal {
  return {
    kind: 'citizen',
    userId: c.userId,
    username: c.username,
    contactId: c.contactId,
    unifiedId: c.unifiedId,
    commerceCustomerId: c.commerceCustomerId,
    ...(o.commerceLogin === false ? {} : { commerceLogin: c.email }),
  };
}

/**
 * A request body and the headers the gateway sends it to `subgraph` with: the principal signed
 * for that subgraph and that exact body (a subgraph refuses it for any other).
 */
export function gatewayRequest(
  principal: Principal,
  subgraph: string,
  body: unknown,
  o: { secret: string; clientAddress?: string; ttlSeconds?: number; now?: () => number },
): { body: string; headers: Record<string, string> } {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    body: text,
    headers: {
      'content-type': 'application/json',
      [PRINCIPAL_HEADER]: signPrincipal(principal, o.secret, {
        audience: subgraph,
        body: text,
        clientAddress: o.clientAddress,
        ttlSeconds: o.ttlSeconds,
        now: o.now,
      }),
    },
  };
}

/** Sends `body` on `req` as the gateway would to `subgraph`, with `principal` signed for it. */
export function sendAsGateway<R extends { set(h: Record<string, string>): R; send(b: string): R }>(
  req: R,
  principal: Principal,
  subgraph: string,
  body: unknown,
  o: { secret: string; clientAddress?: string; now?: () => number },
): R {
  const signed = gatewayRequest(principal, subgraph, body, o);
  return req.set(signed.headers).send(signed.body);
}
