// One tools/call, from arguments to result: bounded and checked before anything is spent (size,
// names, the caller's own ids, GraphQL coercion of the variables, the per-call cost limit, the
// per-principal MCP budget), then the gateway's own pipeline in process, then one audit record
// and the per-tool counters. Every refusal is a tool error (isError) saying what to do.
import { randomUUID } from 'node:crypto';
import {
  coerceInputValue,
  isNonNullType,
  valueFromAST,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { Counter } from 'prom-client';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { RateLimiter } from '../../lib/rate-limit.js';
import { UpstreamCost } from '../../lib/upstream-cost.js';
import { log } from '../../lib/observability/log.js';
import type { ServiceMetrics } from '../../lib/observability/metrics.js';
import type { McpConfig } from '../config.js';
import type { CostModel } from '../query-cost.js';
import type { Gateway } from '../server.js';
import type { McpPrincipal } from './auth.js';
import { estimateCalls } from './cost.js';
import type { McpTool } from './tools.js';

export interface ToolCaller {
  principal: McpPrincipal;
  /** The connected app the token was issued to. */
  clientId: string;
  /** Used only to run the operation in process (never in a result or a log). */
  authorization: string;
  requestId?: string;
  clientAddress?: string;
}

export type Outcome = 'ok' | 'user_errors' | 'error' | 'refused';

/** Most record ids one audit record lists. */
const MAX_AUDIT_RECORDS = 50;

/** What to do about each error code of the graph, for the model reading the tool error. */
const ADVICE: Record<string, string> = {
  RATE_LIMITED: 'Calls are being limited: wait, then retry.',
  UPSTREAM_UNAVAILABLE:
    'A Salesforce service is unavailable: retry in a minute (a write with the same idempotencyKey); any data shown may be partial.',
  UPSTREAM_TIMEOUT:
    'A Salesforce service did not answer in time: retry in a minute (a write with the same idempotencyKey); any data shown may be partial.',
  COST_LIMIT_EXCEEDED: 'Ask for fewer items (a smaller `first` or fewer ids).',
  UNAUTHENTICATED: 'The sign-in is no longer valid: the user must sign in again.',
  FORBIDDEN: 'This user may not do this: do not retry.',
  BAD_USER_INPUT: 'Fix the arguments and call again.',
};

const getPath = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );

function setPath(o: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    if (!next || typeof next !== 'object' || Array.isArray(next)) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}

/** Every `id` in the data (the records the call read or wrote), at most MAX_AUDIT_RECORDS. */
function recordIds(data: unknown, out = new Set<string>()): Set<string> {
  if (out.size >= MAX_AUDIT_RECORDS || !data || typeof data !== 'object') return out;
  if (Array.isArray(data)) for (const v of data) recordIds(v, out);
  else
    for (const [k, v] of Object.entries(data)) {
      if (k === 'id' && typeof v === 'string') {
        if (out.size < MAX_AUDIT_RECORDS) out.add(v);
      } else recordIds(v, out);
    }
  return out;
}

/** Every `userErrors` list in the data (a payload's expected business failures). */
function userErrorsOf(data: unknown, out: unknown[] = []): unknown[] {
  if (!data || typeof data !== 'object') return out;
  if (Array.isArray(data)) for (const v of data) userErrorsOf(v, out);
  else
    for (const [k, v] of Object.entries(data)) {
      if (k === 'userErrors' && Array.isArray(v)) out.push(...v);
      else userErrorsOf(v, out);
    }
  return out;
}

/** Most argument errors one refusal lists. */
const MAX_ARGUMENT_ERRORS = 5;

/**
 * The variables as GraphQL coerces them, or what is wrong with them — each error named by its
 * argument path and never echoing a whole value (which would show the model the ids the server
 * filled in, or the generated key).
 */
function coerceVariables(
  tool: McpTool,
  variables: Record<string, unknown>,
): { values: Record<string, unknown> } | { errors: string[] } {
  const values: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const def of tool.operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = tool.variables.get(name)!;
    const value = variables[name];
    if (value === undefined || value === null) {
      if (def.defaultValue) values[name] = valueFromAST(def.defaultValue, type);
      else if (isNonNullType(type)) errors.push(`${name}: required (${String(type)}).`);
      else if (value === null) values[name] = null;
      continue;
    }
    values[name] = coerceInputValue(value, type, (path, _invalid, error) => {
      if (errors.length < MAX_ARGUMENT_ERRORS)
        errors.push(`${[name, ...path].join('.')}: ${error.message}`);
    });
  }
  return errors.length ? { errors: errors.slice(0, MAX_ARGUMENT_ERRORS) } : { values };
}

export class ToolRunner {
  private readonly calls: Counter<'tool' | 'outcome'>;
  private readonly salesforceCalls: Counter<'tool' | 'family'>;

  constructor(
    private readonly o: {
      tools: Map<string, McpTool>;
      schema: GraphQLSchema;
      fieldCosts: CostModel;
      config: McpConfig;
      maxUpstreamCalls: number;
      limiter: RateLimiter;
      metrics: ServiceMetrics;
      execute: Gateway['execute'];
    },
  ) {
    this.calls = new Counter({
      name: 'mcp_tool_calls_total',
      help: 'MCP tool calls by tool and outcome (ok, user_errors, error, refused).',
      labelNames: ['tool', 'outcome'],
      registers: [o.metrics.registry],
    });
    this.salesforceCalls = new Counter({
      name: 'mcp_tool_salesforce_calls_total',
      help: 'Salesforce calls made by MCP tool calls, by tool and API family.',
      labelNames: ['tool', 'family'],
      registers: [o.metrics.registry],
    });
  }

  async call(name: string, rawArgs: unknown, caller: ToolCaller): Promise<CallToolResult> {
    const started = performance.now();
    const tool = this.o.tools.get(name);
    const audit = {
      requestId: caller.requestId,
      principal: {
        kind: caller.principal.kind,
        userId: caller.principal.userId,
        ...(caller.principal.kind === 'agent' && caller.principal.clientId
          ? { clientId: caller.principal.clientId }
          : {}),
      },
      clientId: caller.clientId,
      // A name only when it is a tool: a model's invented names stay out of logs and labels.
      tool: tool?.definitions[caller.principal.kind] ? name : 'unknown',
      operation: tool?.documentId,
      estimatedCalls: 0,
      salesforceCalls: {} as Record<string, number>,
      records: [] as string[],
      idempotencyKey: undefined as string | undefined,
      outcome: 'refused' as Outcome,
      code: undefined as string | undefined,
    };
    const finish = (result: CallToolResult, outcome: Outcome, code?: string) => {
      audit.outcome = outcome;
      audit.code = code;
      this.calls.inc({ tool: audit.tool, outcome });
      for (const [family, n] of Object.entries(audit.salesforceCalls))
        this.salesforceCalls.inc({ tool: audit.tool, family }, n);
      log().info(
        { event: 'mcp_tool_call', ...audit, ms: Math.round(performance.now() - started) },
        'mcp tool call',
      );
      return result;
    };
    const refuse = (code: string, message: string) =>
      finish(
        { isError: true, content: [{ type: 'text', text: message }], structuredContent: { code } },
        'refused',
        code,
      );

    if (!tool || !tool.definitions[caller.principal.kind])
      return refuse(
        'UNKNOWN_TOOL',
        `There is no tool named "${name.slice(0, 64)}" for ${caller.principal.kind === 'citizen' ? 'a citizen' : 'an agent'}: call tools/list for the tools you may use.`,
      );
    const args = rawArgs ?? {};
    const size = Buffer.byteLength(JSON.stringify(args));
    if (size > this.o.config.maxArgumentBytes)
      return refuse(
        'ARGUMENTS_TOO_LARGE',
        `The arguments are ${size} bytes of JSON; at most ${this.o.config.maxArgumentBytes} are accepted. Send shorter values.`,
      );
    if (typeof args !== 'object' || Array.isArray(args))
      return refuse('BAD_ARGUMENTS', 'The arguments must be a JSON object.');
    const schemaProps = tool.definitions[caller.principal.kind]!.inputSchema.properties ?? {};
    const unknown = Object.keys(args).filter((k) => !Object.hasOwn(schemaProps, k));
    const own = caller.principal.kind === 'citizen' ? (tool.spec.citizenOwn ?? {}) : {};
    // A citizen's own ids are never the model's to give, at any depth.
    const ownGiven = Object.keys(own).filter((p) => getPath(args, p) !== undefined);
    if (unknown.length || ownGiven.length)
      return refuse(
        'BAD_ARGUMENTS',
        `Unknown argument(s): ${[...new Set([...unknown, ...ownGiven])]
          .slice(0, 10)
          .map((k) => k.slice(0, 64))
          .join(
            ', ',
          )}.${ownGiven.length ? ' This tool acts for the signed-in citizen: leave out whose data it is.' : ''} The input schema lists what it takes.`,
      );
    const variables = structuredClone(args) as Record<string, unknown>;
    if (caller.principal.kind === 'citizen') {
      const principal = caller.principal;
      for (const [path, key] of Object.entries(own)) {
        const value = principal[key];
        if (!value)
          return refuse(
            'FORBIDDEN',
            'This account has no record of that kind to act on; nothing was done.',
          );
        setPath(variables, path, value);
      }
    } else {
      const missing = (tool.spec.agentRequires ?? []).filter(
        (p) => getPath(variables, p) === undefined,
      );
      if (missing.length)
        return refuse(
          'BAD_ARGUMENTS',
          `Missing argument(s): ${missing.join(', ')} — say which citizen this is for.`,
        );
    }
    if (tool.idempotencyKeyPath) {
      const given = getPath(variables, tool.idempotencyKeyPath);
      // Left out or null: a write never runs without a key.
      if (given === undefined || given === null) {
        const key = `mcp-${randomUUID()}`;
        setPath(variables, tool.idempotencyKeyPath, key);
        audit.idempotencyKey = key;
      } else if (typeof given === 'string') audit.idempotencyKey = given;
    }
    const coerced = coerceVariables(tool, variables);
    if ('errors' in coerced)
      return refuse(
        'BAD_ARGUMENTS',
        `Invalid arguments: ${coerced.errors.join(' ')} Fix them and call again.`,
      );
    const estimate = estimateCalls(this.o.schema, tool, coerced.values, this.o.fieldCosts);
    audit.estimatedCalls = estimate;
    if (estimate > this.o.maxUpstreamCalls)
      return refuse(
        'COST_LIMIT_EXCEEDED',
        `This call could cost about ${estimate} Salesforce API calls; one call may cost at most ${this.o.maxUpstreamCalls}. Ask for fewer items (a smaller first, fewer ids).`,
      );
    const kind = caller.principal.kind;
    const who =
      caller.principal.kind === 'agent'
        ? (caller.principal.clientId ?? caller.principal.userId ?? 'unknown')
        : caller.principal.userId;
    const budgetKey = `mcp:calls:${kind}:${who}`;
    const limit = this.o.config.callsPerMinute[kind];
    if (estimate > 0) {
      const booked = await this.o.limiter.reserve([{ key: budgetKey, limit }], 60, estimate);
      if (!booked.ok)
        return refuse(
          'MCP_BUDGET_EXHAUSTED',
          `The MCP budget of ${limit} Salesforce calls per minute for this ${kind} is spent (this call needs about ${estimate}). Wait ${booked.retryAfterSeconds} seconds before calling again, and ask for fewer items.`,
        );
    }
    // The budget spends what Salesforce counted: calls beyond the estimate are booked after the
    // fact (they may take the window past its limit: the next call then waits longer).
    const trueUp = async () => {
      const spent = Object.values(audit.salesforceCalls).reduce((a, b) => a + b, 0);
      if (spent > estimate)
        await this.o.limiter.reserve(
          [{ key: budgetKey, limit: Number.MAX_SAFE_INTEGER }],
          60,
          spent - estimate,
        );
    };

    const cost = new UpstreamCost();
    let result: ExecutionResult;
    try {
      result = await this.o.execute(
        { query: tool.query, variables, operationName: tool.name },
        caller.authorization,
        {
          cost,
          headers: caller.requestId ? { 'x-request-id': caller.requestId } : {},
          clientAddress: caller.clientAddress,
        },
      );
    } catch (err) {
      const code = (err as { extensions?: { code?: string } }).extensions?.code;
      audit.salesforceCalls = cost.calls();
      await trueUp();
      return finish(
        {
          isError: true,
          content: [
            {
              type: 'text',
              text: `The operation could not run. ${ADVICE[code ?? ''] ?? 'Retry once later; if it fails again, stop.'}`,
            },
          ],
          structuredContent: { code: code ?? 'INTERNAL_SERVER_ERROR' },
        },
        'error',
        code ?? 'INTERNAL_SERVER_ERROR',
      );
    }
    audit.salesforceCalls = cost.calls();
    await trueUp();
    audit.records = [...recordIds(result.data)];
    const userErrors = userErrorsOf(result.data);
    const body: Record<string, unknown> = {
      data: result.data ?? null,
      userErrors,
      ...(audit.idempotencyKey ? { idempotencyKey: audit.idempotencyKey } : {}),
      salesforceCalls: audit.salesforceCalls,
    };
    if (result.errors?.length) {
      const codes = [...new Set(result.errors.map((e) => String(e.extensions?.code ?? '')))];
      const errors = result.errors.map((e) => ({
        message: e.message,
        ...(e.path ? { path: e.path } : {}),
        code: e.extensions?.code,
        ...(e.extensions?.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: e.extensions.retryAfterSeconds }
          : {}),
      }));
      const advice = codes.map((c) => ADVICE[c]).filter(Boolean);
      return finish(
        {
          isError: true,
          content: [
            {
              type: 'text',
              text: `${result.data ? 'Partial result' : 'The operation failed'}: ${errors
                .map((e) => e.message)
                .join(
                  ' ',
                )} ${advice.join(' ') || 'Retry once later; if it fails again, stop.'}\n${JSON.stringify({ ...body, errors })}`,
            },
          ],
          structuredContent: { ...body, errors },
        },
        'error',
        codes[0] || undefined,
      );
    }
    return finish(
      { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body },
      userErrors.length ? 'user_errors' : 'ok',
    );
  }
}
