// What bounds a subscription before it runs: the request limits of POST /graphql applied to its
// document (one adapter, `subscriptionDocumentLimits`), how many live subscriptions one
// connection and one principal may hold, and how many long-lived connections (WebSocket, SSE,
// multipart) one client address may hold at once.
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Principal } from '../../lib/principal.js';
import { countTokens, tokenRefusal } from '../token-limit.js';
import { costModelFromSupergraph } from '../query-cost.js';
import { analyzeOperation, type OperationLimits } from '../operation-limits.js';
import type { GatewayConfig } from '../config.js';

export interface SubscriptionLimits {
  perConnection: number;
  perPrincipal: number;
}

/** A refusal before anything runs: HTTP 400 (or `status`) with a code that names the limit. */
export const refusal = (code: string, message: string, status = 400) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

/**
 * The document limits of POST /graphql for a subscription's document, in the order POST applies
 * them: tokens before any parse (gateway/token-limit.ts), then parse, then the ONE analysis every
 * way in shares (gateway/operation-limits.ts analyzeOperation: expanded selections, depth,
 * aliases, directives and the Salesforce-call estimate against MAX_UPSTREAM_CALLS, linear in the
 * document), and only then graphql-js validation. The one place subscriptions meet these limits:
 * it returns the parsed document or throws a coded 400.
 */
export function subscriptionDocumentLimits(o: {
  schema: GraphQLSchema;
  supergraphSdl: string;
  limits: OperationLimits & Pick<GatewayConfig['limits'], 'maxTokens'>;
  introspection: boolean;
}) {
  const armor = new ApolloArmor({
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !o.introspection },
  }).protect();
  const rules = [...specifiedRules, ...(armor.validationRules as ValidationRule[])];
  const model = costModelFromSupergraph(o.supergraphSdl);
  return (
    text: string,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | null | undefined,
  ): DocumentNode => {
    if ((countTokens(text, o.limits.maxTokens) ?? 0) > o.limits.maxTokens) {
      const { message, extensions } = tokenRefusal(o.limits.maxTokens);
      throw new GraphQLError(message, { extensions: { ...extensions, http: { status: 400 } } });
    }
    let doc: DocumentNode;
    try {
      doc = parse(text);
    } catch (err) {
      throw refusal('GRAPHQL_PARSE_FAILED', (err as Error).message);
    }
    operationOf(doc, operationName);
    const analysis = analyzeOperation(doc, {
      limits: o.limits,
      operationName: operationName ?? undefined,
      variables: variables ?? {},
      cost: { schema: o.schema, model },
    });
    if (analysis.refusal) throw analysis.refusal;
    const errors = validate(o.schema, doc, rules);
    if (errors.length) throw refusal('GRAPHQL_VALIDATION_FAILED', errors[0].message);
    return doc;
  };
}

export type DocumentLimits = ReturnType<typeof subscriptionDocumentLimits>;

/** The operation a request names (or its only one); an unknown name is a 400. */
export function operationOf(
  doc: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op || (!operationName && ops.length > 1))
    throw refusal(
      'OPERATION_RESOLUTION_FAILURE',
      operationName
        ? `Unknown operation named "${operationName}".`
        : 'The document has several operations: send operationName.',
    );
  return op;
}

const principalKey = (p: Principal) =>
  p.kind === 'citizen'
    ? `citizen:${p.userId}`
    : p.kind === 'agent'
      ? `agent:${p.userId ?? p.clientId}`
      : 'anonymous';

/** One connection's live subscriptions; `changed` runs after each start and end. */
export interface ConnectionSlots {
  count: number;
  changed?: () => void;
}

export class SubscriptionCounter {
  private byPrincipal = new Map<string, number>();
  constructor(private readonly limits: SubscriptionLimits) {}

  /** Takes a slot for a principal (and its connection's count); returns its release. */
  acquire(p: Principal, connection: ConnectionSlots): () => void {
    const key = principalKey(p);
    const held = this.byPrincipal.get(key) ?? 0;
    if (connection.count >= this.limits.perConnection || held >= this.limits.perPrincipal)
      throw new GraphQLError('Too many live subscriptions.', {
        extensions: { code: 'RATE_LIMITED' },
      });
    connection.count++;
    connection.changed?.();
    this.byPrincipal.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      connection.count--;
      const n = (this.byPrincipal.get(key) ?? 1) - 1;
      if (n) this.byPrincipal.set(key, n);
      else this.byPrincipal.delete(key);
      connection.changed?.();
    };
  }
}

/**
 * Long-lived connections (WebSocket, SSE stream, multipart stream) per client address, at most
 * `max` at once (SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS).
 */
export class AddressConnections {
  private open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** A release for a new connection from `address`, or undefined when it already holds `max`. */
  acquire(address: string): (() => void) | undefined {
    const n = this.open.get(address) ?? 0;
    if (n >= this.max) return undefined;
    this.open.set(address, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left) this.open.set(address, left);
      else this.open.delete(address);
    };
  }
}

/** Runs `fn` after `ms`; returns its cancel. Injectable so tests fire timers, never sleep. */
export type Schedule = (ms: number, fn: () => void) => () => void;

export const realSchedule: Schedule = (ms, fn) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};
