// Self-hosted GraphiQL next to the graph: a browser's GET /graphql (Accept: text/html) gets the
// page from dist/graphiql (built by `npm run build`); its assets are served under /graphiql/.
// JSON GETs and every POST fall through to the GraphQL handler mounted after this.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Request, type Response } from 'express';

export interface GraphiqlOptions {
  /** The esbuild output folder (dist/graphiql). */
  dir: string;
  /**
   * Development only: a demo login the page offers in its Sign in panel and Login tab, served at
   * GET /graphiql/demo-login.json (404 without one). `npm start` passes the emulator's demo
   * citizen; gateway/main.ts never passes one in production.
   */
  demoLogin?: { username: string; password: string };
}

const MISSING =
  'GraphiQL is not built yet (dist/graphiql is missing).\n' +
  'Run `npm run build` (or `npm run build:graphiql`) and reload this page.\n' +
  'The GraphQL endpoint itself works: POST /graphql with a JSON body.\n';

// Everything the page loads is same-origin; the browser itself refuses any CDN.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
].join('; ');

/** A browser navigation prefers HTML; fetch/curl/GraphQL clients prefer JSON or accept anything. */
function wantsHtml(req: Request): boolean {
  return (
    req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) ===
    'text/html'
  );
}

export function mountGraphiql(app: express.Express, options: GraphiqlOptions): void {
  const dir = resolve(options.dir);
  const indexHtml = join(dir, 'index.html');

  const page = (_req: Request, res: Response) => {
    if (!existsSync(indexHtml)) {
      res.status(503).type('text/plain').send(MISSING);
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-security-policy', CSP);
    res.sendFile(indexHtml);
  };

  app.get('/graphql', (req, res, next) => {
    if (!wantsHtml(req)) return next();
    page(req, res);
  });
  app.get(['/graphiql', '/graphiql/'], page);
  app.get('/graphiql/demo-login.json', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    if (!options.demoLogin) res.status(404).json({ demoLogin: null });
    else res.json({ demoLogin: options.demoLogin });
  });
  app.use('/graphiql', express.static(dir, { index: false, fallthrough: true }));
  app.use('/graphiql', (_req, res) => {
    res
      .status(existsSync(indexHtml) ? 404 : 503)
      .type('text/plain')
      .send(existsSync(indexHtml) ? 'Not found\n' : MISSING);
  });
}
