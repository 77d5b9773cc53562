// The MCP SDK's own client against a started stack's /mcp, as an assistant would connect.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Stack } from '../harness.js';

/** A connected client sending `authorization` (e.g. from loginAs / agentHeaders) on every request. */
export async function mcpClient(
  stack: Stack,
  headers: Record<string, string>,
): Promise<Client & AsyncDisposable> {
  const client = new Client({ name: 'c360-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', stack.gatewayUrl), {
      requestInit: { headers },
    }),
  );
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

/** tools/call, typed as the tool result (the structured JSON and whether it is an error). */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult & { structuredContent?: Record<string, any> }> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
