// Turns a bearer token into a Principal, once per token: Headless Identity's userinfo says who the
// token belongs to (the connected app's custom attributes carry the citizen's ids in every
// system), and introspection says until when it is valid. Results are cached (principal-cache.ts:
// in memory, or in Redis shared by replicas) until the token expires; `forget` makes a logout take
// effect at once. Validating costs Identity calls made with the integration app's credentials,
// so it is bounded before it is spent: a token Identity refused is remembered (by its hash) and
// refused again without a call; racers with one token share one validation; and each validation
// is booked against its client address — a per-address limit, and the address's anonymous
// Salesforce-call budget (UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS) — before Identity is asked, and
// given back when the token proves valid: what an address is charged for is refused tokens.
import { InMemoryPrincipalCache, type PrincipalCache } from './principal-cache.js';
import type { ServiceMetrics } from '../lib/observability/metrics.js';
import { UpstreamCost } from '../lib/upstream-cost.js';
import { callUpstream, joinUrl } from '../lib/upstream-http.js';
import { GraphQLError } from 'graphql';
import { ErrorCode, UpstreamError } from '../lib/errors.js';
import type { Principal } from '../lib/principal.js';
import { KeyedFlight } from '../lib/keyed-flight.js';
import type { RateLimiter } from '../lib/rate-limit.js';
import { anonymousBudgetKey } from './query-cost.js';

/**
 * The names of the connected app's custom attributes that carry a citizen's ids and the agent
 * flag (an org's admin names them; docs/real-org.md). Defaults: DEFAULT_IDENTITY_ATTRIBUTES.
 */
export interface IdentityAttributeNames {
  contactId: string;
  unifiedId: string;
  commerceCustomerId: string;
  commerceLogin: string;
  isAgent: string;
}

export const DEFAULT_IDENTITY_ATTRIBUTES: IdentityAttributeNames = {
  contactId: 'contactId',
  unifiedId: 'unifiedIndividualId',
  commerceCustomerId: 'commerceCustomerId',
  commerceLogin: 'commerceLogin',
  isAgent: 'isAgent',
};

export interface PrincipalResolverOptions {
  identitySiteUrl: string;
  /** Custom attribute names (default DEFAULT_IDENTITY_ATTRIBUTES). */
  attributes?: IdentityAttributeNames;
  agentClientIds: string[];
  cacheSize: number;
  cacheMaxSeconds: number;
  timeoutMs: number;
  /**
   * The confidential connected app the gateway introspects tokens with: client id AND secret
   * (a real org refuses introspection without the secret), with "introspect all tokens" so it
   * sees the portal app's tokens. Without it, tokens are trusted for cacheMaxSeconds at most.
   */
  introspection?: { clientId: string; clientSecret: string };
  fetch?: typeof fetch;
  /** Shared cache (Redis) instead of this process's LRU. */
  cache?: PrincipalCache;
  /** The gateway's metrics: identity calls, and cache hits and misses. */
  metrics?: ServiceMetrics;
  /** How long a token Identity refused is refused again without asking (default 300 s). */
  refusedCacheSeconds?: number;
  /** What validations are booked against before Identity is asked (none: unbounded). */
  validationLimits?: ValidationLimits;
  /** The clock a token's expiry is read against (default Date.now; a test advances its own). */
  now?: () => number;
}

export interface ValidationLimits {
  /** The gateway's call-budget limiter (the one query-cost.ts books on). */
  limiter: RateLimiter;
  /** Token validations one client address may start per minute. */
  perAddressPerMinute: number;
  /** The anonymous Salesforce-call budget per address and minute the Identity calls are charged to. */
  anonymousCallsPerMinute: number;
}

export const DEFAULT_REFUSED_CACHE_SECONDS = 300;

interface UserInfo {
  user_id?: string;
  preferred_username?: string;
  is_salesforce_integration_user?: boolean;
  custom_attributes?: Record<string, string | undefined>;
}

export class PrincipalResolver {
  private readonly cache: PrincipalCache;
  /** Identity calls made (for tests and the cost report). */
  lookups = 0;

  /** Validations in flight, one per token: racers with the same token share it. */
  private readonly validations = new KeyedFlight<Principal>();

  constructor(private readonly o: PrincipalResolverOptions) {
    this.cache = o.cache ?? new InMemoryPrincipalCache(o.cacheSize, o.now);
  }

  /**
   * The principal for a request's Authorization header; anonymous without one. Throws
   * UNAUTHENTICATED for a bad token, RATE_LIMITED (429) when `clientAddress` may not have
   * another token validated now.
   */
  async resolve(authorization: string | undefined, clientAddress?: string): Promise<Principal> {
    if (!authorization) return { kind: 'anonymous' };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const token = m[1];
    const cached = await this.cache.get(token);
    this.o.metrics?.cacheLookups.inc({ cache: 'principal', result: cached ? 'hit' : 'miss' });
    if (cached) return cached;
    if (await this.cache.refused(token)) throw invalidToken();
    return this.validations.run(token, () => this.validate(token, clientAddress));
  }

  /**
   * Books one validation against the client address, before Identity is asked; the booking is
   * given back when the token turns out valid (a signed-in caller's operations are charged to
   * its own budget, and its token is cached). What stays booked are refused tokens.
   */
  private async book(clientAddress: string | undefined): Promise<() => Promise<void>> {
    const v = this.o.validationLimits;
    // Without an address (an in-process caller) only the negative cache and single flight hold.
    if (!v || !clientAddress) return async () => {};
    const perAddress = await v.limiter.reserve(
      [{ key: `validations:${clientAddress}`, limit: v.perAddressPerMinute }],
      60,
    );
    if (!perAddress.ok) throw rateLimited(perAddress.retryAfterSeconds);
    const calls = this.o.introspection ? 2 : 1;
    const budget = await v.limiter.reserve(
      [{ key: anonymousBudgetKey(clientAddress), limit: v.anonymousCallsPerMinute }],
      60,
      calls,
    );
    if (!budget.ok) {
      await perAddress.release();
      throw rateLimited(budget.retryAfterSeconds);
    }
    return async () => {
      await perAddress.release();
      await budget.release();
    };
  }

  private async validate(token: string, clientAddress: string | undefined): Promise<Principal> {
    const giveBack = await this.book(clientAddress);
    const transport = { fetch: this.o.fetch, cost: new UpstreamCost(this.o.metrics?.observer) };
    this.lookups++;
    let info: UserInfo;
    let expiresAtMs: number | undefined;
    let tokenClientId: string | undefined;
    try {
      // Who (userinfo) and until when (introspection), in parallel.
      const [res, intro] = await Promise.all([
        callUpstream<UserInfo>(
          {
            family: 'identity',
            method: 'GET',
            url: joinUrl(this.o.identitySiteUrl, '/services/oauth2/userinfo'),
            headers: { authorization: `Bearer ${token}` },
            timeoutMs: this.o.timeoutMs,
            accept: [401, 403],
            // A client-credentials (agent) token has no identity scope: 403 is its normal answer.
            expected: [403],
          },
          transport,
        ),
        this.o.introspection
          ? callUpstream<Introspection>(
              {
                family: 'identity',
                method: 'POST',
                url: joinUrl(this.o.identitySiteUrl, '/services/oauth2/introspect'),
                form: {
                  token,
                  token_type_hint: 'access_token',
                  client_id: this.o.introspection.clientId,
                  client_secret: this.o.introspection.clientSecret,
                },
                timeoutMs: this.o.timeoutMs,
                idempotent: true,
                accept: [400, 401],
              },
              transport,
            )
          : undefined,
      ]);
      // userinfo answers only tokens with an identity scope (403 insufficient_scope otherwise).
      // A client-credentials token has none: a live one is known by introspection alone — the
      // app, and its run-as user (`sub`, the identity URL). toPrincipal makes it an agent when
      // the app is in AGENT_CLIENT_IDS, and anonymous otherwise.
      // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_userinfo_endpoint.htm
      const byIntrospection =
        res.status === 403 && intro?.body?.active === true
          ? appUserByIntrospection(intro.body)
          : undefined;
      const who = byIntrospection ?? (res.status === 200 ? res.body : undefined);
      if (!who?.user_id || intro?.body?.active === false) {
        await this.cache.setRefused(
          token,
          (this.o.refusedCacheSeconds ?? DEFAULT_REFUSED_CACHE_SECONDS) * 1000,
        );
        throw invalidToken();
      }
      info = who;
      if (intro?.body?.exp) expiresAtMs = intro.body.exp * 1000;
      tokenClientId = intro?.body?.client_id;
    } catch (err) {
      if (err instanceof UpstreamError)
        throw new GraphQLError('The sign-in service is unavailable; try again later.', {
          extensions: { code: err.code, http: { status: 503 } },
        });
      throw err;
    }
    await giveBack();
    const principal = toPrincipal(
      info,
      tokenClientId,
      this.o.agentClientIds,
      this.o.attributes ?? DEFAULT_IDENTITY_ATTRIBUTES,
    );
    // Trusted until the token expires, and never longer than the configured maximum.
    const ttl = Math.min(
      this.o.cacheMaxSeconds * 1000,
      expiresAtMs ? expiresAtMs - (this.o.now ?? Date.now)() : Infinity,
    );
    if (ttl > 0) await this.cache.set(token, principal, ttl);
    return principal;
  }

  /** Drops a token from the cache (after logout). */
  async forget(authorization: string | undefined): Promise<void> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (m) await this.cache.delete(m[1]);
  }
}

interface Introspection {
  active?: boolean;
  exp?: number;
  client_id?: string;
  username?: string;
  /** The identity URL of the token's user: …/id/{orgId}/{userId}. */
  sub?: string;
}

/**
 * What userinfo would have said of a client-credentials token, from introspection: the app's
 * Run As user — which for an agent app must hold the Salesforce Integration user licence (API
 * only; the org contract). Undefined when introspection names no user.
 */
function appUserByIntrospection(intro: Introspection): UserInfo | undefined {
  const userId = intro.sub?.split('/').pop();
  if (!intro.client_id || !userId || !/^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/.test(userId))
    return undefined;
  return {
    user_id: userId,
    preferred_username: intro.username,
    is_salesforce_integration_user: true,
  };
}

/**
 * Who a token is. An agent is a user with the agent permission (the agent custom attribute),
 * or an integration client whose client id (from introspection) is in AGENT_CLIENT_IDS; any
 * other integration token is citizen-less and may see nothing.
 */
function toPrincipal(
  info: UserInfo,
  tokenClientId: string | undefined,
  agentClientIds: string[],
  names: IdentityAttributeNames,
): Principal {
  const custom = info.custom_attributes ?? {};
  const attr = (name: string) => custom[name] || undefined;
  const userId = info.user_id!;
  const username = info.preferred_username ?? '';
  if (info.is_salesforce_integration_user) {
    return tokenClientId && agentClientIds.includes(tokenClientId)
      ? { kind: 'agent', userId, username, clientId: tokenClientId }
      : { kind: 'anonymous' };
  }
  if (attr(names.isAgent) === 'true') return { kind: 'agent', userId, username };
  const contactId = attr(names.contactId);
  if (contactId) {
    return {
      kind: 'citizen',
      userId,
      username,
      contactId,
      unifiedId: attr(names.unifiedId),
      commerceCustomerId: attr(names.commerceCustomerId),
      commerceLogin: attr(names.commerceLogin),
    };
  }
  // A valid user with neither the agent permission nor a citizen contact: treat as anonymous.
  return { kind: 'anonymous' };
}

const invalidToken = () => unauthenticated('The access token is invalid, expired or revoked.');

/** 429 with Retry-After: this client address may not have another token validated yet. */
function rateLimited(retryAfterSeconds: number) {
  return new GraphQLError(
    `Too many token checks from this address; try again in ${retryAfterSeconds} seconds.`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        retryAfterSeconds,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    },
  );
}

/** Answered with HTTP 401 so clients know to sign in again. */
function unauthenticated(message: string) {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}
