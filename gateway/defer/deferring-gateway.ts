// @defer through @apollo/gateway, which has none (its executor asserts "@defer support is not
// available in the gateway"). Design, least invasive first:
// - DeferringGateway wraps ApolloGateway as Apollo Server's GatewayInterface. The schema Apollo
//   Server validates and introspects gets the @defer directive (as Apollo Router's API schema
//   has it), so every plugin of the request pipeline — authentication in the context,
//   graphql-armor, trusted documents, the query-cost budget, formatError, the error policy, the
//   access log and metrics — sees a deferred query as it sees any other.
// - Its executor hands a query to the gateway unchanged unless it really defers (an active
//   @defer, `if` evaluated) AND the client accepts multipart/mixed. The gateway's planner runs
//   without defer support, so it plans such a query as if @defer were absent: the non-multipart
//   client gets one ordinary JSON response, equal to the undeferred query's.
// - A multipart client's query is planned by the same planner (the same plan, the same upstream
//   calls as without @defer — not the planner's defer plan, which re-fetches keys in the
//   deferred part and so costs extra Salesforce calls) and executed by deferred-execution.ts:
//   the executor returns the initial payload to Apollo Server's pipeline as the result and
//   leaves the later parts for the HTTP layer (multipart-response.ts), which writes Apollo's
//   answer as the first part of a multipart/mixed; deferSpec=20220824 body, then the rest.
// The ApolloGateway internals read here (queryPlanner, queryPlanStore, serviceMap, schemas,
// validateIncomingRequest) are those of the pinned 2.14.4 (node_modules/@apollo/gateway/dist/
// index.js, executor), read through gateway/engine.ts; nothing of it is copied.
import { createHash } from 'node:crypto';
import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLNonNull,
  GraphQLSchema,
  GraphQLString,
  type GraphQLError,
  type GraphQLFormattedError,
} from 'graphql';
import { operationFromDocument } from '@apollo/federation-internals';
import {
  buildOperationContext,
  gatewayInternals,
  type ApolloGateway,
  type GatewayInternals,
  type ServiceMap,
} from '../engine.js';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context.js';
import { accessInfo } from '../../lib/observability/access-log.js';
import { analyseDefer } from './deferred-operation.js';
import { analyzeOperation, type OperationLimits } from '../operation-limits.js';
import { executeDeferred } from './deferred-execution.js';
import { acceptsMultipart, respondInParts } from './multipart-response.js';
import { INTERNAL_EXTENSIONS } from '../error-policy.js';

/** The directive as the incremental delivery RFC and Apollo Router declare it. */
export const DEFER_DIRECTIVE = new GraphQLDirective({
  name: 'defer',
  description:
    'Delivers this fragment after the rest of the response (multipart/mixed; deferSpec=20220824). Clients that do not accept multipart get it with the rest.',
  locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
  args: {
    label: { type: GraphQLString },
    if: { type: new GraphQLNonNull(GraphQLBoolean), defaultValue: true },
  },
});

const withDeferCache = new WeakMap<GraphQLSchema, GraphQLSchema>();
/** The API schema with @defer declared (once per schema). */
export function withDefer(schema: GraphQLSchema): GraphQLSchema {
  if (schema.getDirective('defer')) return schema;
  let out = withDeferCache.get(schema);
  if (!out) {
    const config = schema.toConfig();
    out = new GraphQLSchema({ ...config, directives: [...config.directives, DEFER_DIRECTIVE] });
    withDeferCache.set(schema, out);
  }
  return out;
}

export interface DeferringGatewayOptions {
  /** Apollo Server's formatError, applied to the later parts' errors too. */
  formatError(error: GraphQLError): GraphQLFormattedError;
  /** The request limits, checked again before the deferred fragments are expanded. */
  limits: OperationLimits;
}

export class DeferringGateway implements GatewayInterface {
  constructor(
    private readonly gateway: ApolloGateway,
    private readonly options: DeferringGatewayOptions,
  ) {}

  private get internals(): GatewayInternals {
    return gatewayInternals(this.gateway);
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    return this.gateway.onSchemaLoadOrUpdate((schemaContext) => {
      const apiSchema = withDefer(schemaContext.apiSchema);
      // The gateway's own executor answers introspection from this schema: show @defer there too.
      this.internals.schema = apiSchema;
      callback({ ...schemaContext, apiSchema });
    });
  }

  async load(options: Parameters<GatewayInterface['load']>[0]) {
    const loaded = await this.gateway.load(options);
    const inner = loaded.executor!;
    const executor: GatewayExecutor = async (requestContext) => {
      const context = requestContext.context as GatewayContext;
      const accept = requestContext.request.http?.headers.get('accept');
      if (!context.res || !acceptsMultipart(accept)) return inner(requestContext);
      // The expansion below is bounded by the selection limit, whoever called the executor.
      const { refusal } = analyzeOperation(requestContext.document, {
        limits: this.options.limits,
        operationName: requestContext.request.operationName,
      });
      if (refusal) return { errors: [refusal] };
      const deferred = analyseDefer(
        requestContext.document,
        requestContext.request.operationName,
        requestContext.request.variables ?? {},
      );
      if (!deferred) return inner(requestContext);
      return this.executeInParts(requestContext, deferred, context);
    };
    return { ...loaded, executor };
  }

  private async executeInParts(
    requestContext: GatewayGraphQLRequestContext,
    deferred: NonNullable<ReturnType<typeof analyseDefer>>,
    context: GatewayContext,
  ) {
    const gw = this.internals;
    const { request, document, queryHash } = requestContext;
    const operationContext = buildOperationContext({
      schema: gw.schema!,
      operationDocument: document,
      operationName: request.operationName,
    });
    const invalid = gw.validateIncomingRequest(requestContext, operationContext);
    if (invalid.length) return { errors: invalid };
    // The gateway's own plan cache key for this document: the plans are the same.
    const key = request.operationName
      ? createHash('sha256').update(queryHash).update(request.operationName).digest('hex')
      : queryHash;
    let queryPlan = await gw.queryPlanStore.get(key);
    if (!queryPlan) {
      const operation = operationFromDocument(gw.apiSchema, document, {
        operationName: request.operationName,
      });
      queryPlan = gw.queryPlanner.buildQueryPlan(operation);
      await gw.queryPlanStore.set(key, queryPlan);
    }
    const serviceMap: ServiceMap = {};
    for (const [name, { dataSource }] of Object.entries(gw.serviceMap))
      serviceMap[name] = dataSource;
    const run = await executeDeferred({
      queryPlan,
      serviceMap,
      requestContext,
      operationContext,
      supergraphSchema: gw.supergraphSchema,
      apiSchema: gw.apiSchema,
      deferred,
    });
    const res = context.res!;
    respondInParts(
      res,
      run.subsequent,
      (e) => this.formatPartError(e, context),
      () => {
        // The access log and the cost report count the whole response, not the first part.
        accessInfo(res).upstreamCalls = Object.fromEntries(
          Object.entries(context.cost.report()).map(([f, v]) => [f, v?.calls ?? 0]),
        );
        return context.wantsCost ? { upstreamCost: context.cost.report() } : undefined;
      },
    );
    return run.initial;
  }

  /** formatError, then the error policy's rule (gateway/error-policy.ts) for a later part. */
  private formatPartError(error: GraphQLError, context: GatewayContext) {
    const formatted = this.options.formatError(error);
    if (context.wantsCost || !formatted.extensions) return formatted;
    const extensions = { ...formatted.extensions };
    for (const k of INTERNAL_EXTENSIONS) delete extensions[k];
    return { ...formatted, extensions };
  }

  stop() {
    return this.gateway.stop();
  }
}
