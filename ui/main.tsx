// Self-hosted GraphiQL for the Customer 360 graph: bundled by scripts/build-graphiql.ts (no CDN),
// served by gateway/graphiql.ts at GET /graphql (HTML) with assets under /graphiql/.
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import { SIGN_IN_PLUGIN, graphqlUrl } from './sign-in';
import { TOKEN_PLACEHOLDER, withSignedInToken } from './session';

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

const PLACEHOLDER_HEADERS = JSON.stringify(
  { authorization: `Bearer ${TOKEN_PLACEHOLDER}` },
  null,
  2,
);

const http = createGraphiQLFetcher({ url: graphqlUrl() });
const fetcher: Fetcher = (params, opts) =>
  http(params, { ...opts, headers: withSignedInToken(opts?.headers) });

const tabs = __C360_OPERATIONS__.map((op) => ({
  query: op.query,
  variables: op.variables,
  headers: PLACEHOLDER_HEADERS,
}));

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultTabs={tabs}
    defaultHeaders={PLACEHOLDER_HEADERS}
    isHeadersEditorEnabled
    defaultEditorToolsVisibility="headers"
    plugins={[SIGN_IN_PLUGIN, HISTORY_PLUGIN]}
    visiblePlugin={SIGN_IN_PLUGIN}
  />,
);
