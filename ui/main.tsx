// Self-hosted GraphiQL for the Customer 360 graph: bundled by scripts/build-graphiql.ts (no CDN),
// served by gateway/graphiql.ts at GET /graphql (HTML) with assets under /graphiql/.
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { DOC_EXPLORER_PLUGIN } from '@graphiql/plugin-doc-explorer';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';
import type { DemoLogin } from './examples';
import { SessionVariables } from './session-variables';
import { signInPlugin } from './sign-in';
import { getSession, graphqlUrl, refresh, withSession } from './session';

// Monaco workers are separate ESM bundles next to main.js (graphiql/setup-workers/* assume vite,
// webpack or a CDN).
const base = new URL('.', import.meta.url);
(globalThis as any).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    const file =
      label === 'json'
        ? 'json.worker.js'
        : label === 'graphql'
          ? 'graphql.worker.js'
          : 'editor.worker.js';
    return new Worker(new URL(file, base), { type: 'module' });
  },
};

// No placeholder headers: anonymous operations (the catalogue, sign-in) and the docs work at once;
// after Sign in the fetcher adds the session's token to every request (unless the headers editor
// sets an Authorization header of its own). A request answered 401 is refreshed and retried once.
// Subscriptions go over graphql-ws on the same /graphql, with the session's token in
// connection_init (lazy: no socket until a subscription runs).
const http = createGraphiQLFetcher({
  url: graphqlUrl(),
  wsClient: createClient({
    url: graphqlUrl().replace(/^http/, 'ws'),
    lazy: true,
    connectionParams: () => {
      const s = getSession();
      return s ? { authorization: `Bearer ${s.accessToken}` } : {};
    },
  }),
});
const unauthenticated = (r: unknown) =>
  !!r &&
  typeof r === 'object' &&
  (r as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.some(
    (e) => e.extensions?.code === 'UNAUTHENTICATED',
  );
const fetcher: Fetcher = async (params, opts) => {
  const usedSession = !!getSession() && withSession(opts?.headers) !== opts?.headers;
  const result = await http(params, { ...opts, headers: withSession(opts?.headers) });
  if (usedSession && unauthenticated(result) && (await refresh()))
    return http(params, { ...opts, headers: withSession(opts?.headers) });
  return result;
};

const tabs = __C360_OPERATIONS__.map((op) => ({ query: op.query, variables: op.variables }));

/** The demo login the gateway offers in development (404, so null, in production). */
async function demoLogin(): Promise<DemoLogin | null> {
  try {
    const res = await fetch(new URL('demo-login.json', base), {
      headers: { accept: 'application/json' },
    });
    return res.ok
      ? (((await res.json()) as { demoLogin: DemoLogin | null }).demoLogin ?? null)
      : null;
  } catch {
    return null;
  }
}

void demoLogin().then((demo) =>
  createRoot(document.getElementById('graphiql')!).render(
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={tabs}
      isHeadersEditorEnabled
      defaultEditorToolsVisibility="variables"
      plugins={[signInPlugin(demo), HISTORY_PLUGIN]}
      visiblePlugin={DOC_EXPLORER_PLUGIN}
    >
      <SessionVariables demo={demo} />
    </GraphiQL>,
  ),
);
