// The MCP server on the gateway's own app: Streamable HTTP at POST /mcp, stateless (a new
// server and transport per request, JSON answers): every tool call carries its bearer token and
// is complete in one request, so no session needs to live in this process or in Redis, and any
// replica can answer. GET (a server-to-client stream) and DELETE (ending a session) are 405.
// https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http
import express, { type Express, type Request, type Response } from 'express';
import cors from 'cors';
import type { GraphQLSchema } from 'graphql';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { RateLimiter } from '../../lib/rate-limit.js';
import type { ServiceMetrics } from '../../lib/observability/metrics.js';
import { accessInfo } from '../../lib/observability/access-log.js';
import type { GatewayConfig } from '../config.js';
import type { PersistedDocuments } from '../persisted-documents.js';
import type { PrincipalResolver } from '../principal-resolver.js';
import { costModelFromSupergraph } from '../query-cost.js';
import type { Gateway } from '../server.js';
import {
  MCP_PATH,
  McpTokenVerifier,
  RESOURCE_METADATA_PATH,
  protectedResourceMetadata,
  resourceMetadataUrl,
  resourceUrl,
  type McpPrincipal,
} from './auth.js';
import { ToolRunner } from './call.js';
import { buildTools } from './tools.js';

export interface McpDeps {
  principals: PrincipalResolver;
  documents: PersistedDocuments;
  /** The API schema the gateway serves. */
  schema: GraphQLSchema;
  limiter: RateLimiter;
  metrics: ServiceMetrics;
  execute: Gateway['execute'];
}

type McpOptions = Pick<
  GatewayConfig,
  | 'mcp'
  | 'limits'
  | 'identitySiteUrl'
  | 'tokenIntrospection'
  | 'identityTimeoutMs'
  | 'tokenCacheSize'
  | 'tokenCacheMaxSeconds'
  | 'corsOrigins'
> & { supergraphSdl: string };

const SERVER_INFO = { name: 'customer360-graph', version: '0.1.0' };

/** A JSON-RPC error answer outside any request (wrong method). */
const rpcError = (res: Response, status: number, message: string) =>
  res.status(status).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });

/** Mounts /mcp and its protected-resource metadata on `app`; returns the tools it serves. */
export function mountMcp(app: Express, o: McpOptions, deps: McpDeps) {
  const fieldCosts = costModelFromSupergraph(o.supergraphSdl);
  const tools = buildTools(deps.documents, deps.schema, fieldCosts, o.limits.maxUpstreamCalls);
  const runner = new ToolRunner({
    tools,
    schema: deps.schema,
    fieldCosts,
    config: o.mcp,
    maxUpstreamCalls: o.limits.maxUpstreamCalls,
    limiter: deps.limiter,
    metrics: deps.metrics,
    execute: deps.execute,
  });
  const verifier = new McpTokenVerifier({
    principals: deps.principals,
    identitySiteUrl: o.identitySiteUrl,
    introspection: o.tokenIntrospection,
    clientIds: o.mcp.clientIds,
    timeoutMs: o.identityTimeoutMs,
    cacheSize: o.tokenCacheSize,
    cacheMaxSeconds: o.tokenCacheMaxSeconds,
    metrics: deps.metrics,
  });

  const metadata = protectedResourceMetadata({
    identitySiteUrl: o.identitySiteUrl,
    resourceUrl: o.mcp.resourceUrl,
  });
  app.get(RESOURCE_METADATA_PATH, metadata);
  app.get(`${RESOURCE_METADATA_PATH}${MCP_PATH}`, metadata);

  app.use(
    MCP_PATH,
    cors({
      origin: (origin, done) => done(null, !!origin && o.corsOrigins.includes(origin)),
      methods: ['POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'mcp-protocol-version', 'x-request-id'],
      exposedHeaders: ['www-authenticate', 'x-request-id'],
      maxAge: 600,
    }),
  );
  app.use(MCP_PATH, (req, res, next) =>
    requireBearerAuth({
      verifier,
      resourceMetadataUrl: resourceMetadataUrl(resourceUrl(req, o.mcp.resourceUrl)),
    })(req, res, next),
  );
  app.post(
    MCP_PATH,
    express.json({ limit: o.limits.maxBodyBytes }),
    async (req: Request, res: Response) => {
      const auth = req.auth!;
      const principal = auth.extra!.principal as McpPrincipal;
      const server = new Server(SERVER_INFO, {
        capabilities: { tools: { listChanged: false } },
        instructions:
          'Tools are reviewed GraphQL operations of the Customer 360 graph. Each states its estimated Salesforce calls; calls are counted against a per-minute budget.',
      });
      server.setRequestHandler(ListToolsRequestSchema, async () => ({
        tools: [...tools.values()]
          .map((t) => t.definitions[principal.kind])
          .filter((t): t is Tool => !!t),
      }));
      server.setRequestHandler(CallToolRequestSchema, async (request) =>
        runner.call(request.params.name, request.params.arguments, {
          principal,
          clientId: auth.clientId,
          authorization: `Bearer ${auth.token}`,
          requestId: accessInfo(res).requestId,
          clientAddress: req.ip ?? req.socket.remoteAddress,
        }),
      );
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    },
  );
  app.all(MCP_PATH, (_req, res) => {
    res.set('allow', 'POST');
    rpcError(res, 405, 'Method not allowed: this server is stateless; POST JSON-RPC to /mcp.');
  });
  return { tools };
}
