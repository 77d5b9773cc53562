// Shared by the peer gateways (run as `node --import tsx bench/peers/<peer>.ts` from the repo
// root): the supergraph with the bench's subgraph URLs, and an agent principal signed per fetch
// the way our gateway signs it (for one subgraph and one body).
import { readFileSync } from 'node:fs';
import { PRINCIPAL_HEADER, signPrincipal } from '../../lib/principal.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';

export { PRINCIPAL_HEADER };

export const port = Number(process.env.PEER_PORT ?? 0);

/** schema/supergraph.graphql with each join__graph url replaced by *_SUBGRAPH_URL. */
export function supergraphSdl(): string {
  let sdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
  for (const s of SUBGRAPHS) {
    const url = process.env[s.urlEnv];
    if (!url) throw new Error(`${s.urlEnv} must be set`);
    sdl = sdl.replace(
      new RegExp(`@join__graph\\(name: "${s.name}", url: "[^"]*"\\)`),
      `@join__graph(name: "${s.name}", url: "${url}")`,
    );
  }
  return sdl;
}

const secret = process.env.PRINCIPAL_SECRET;
if (!secret) throw new Error('PRINCIPAL_SECRET must be set');

/** Subgraph name by its URL (the *_SUBGRAPH_URL the peers were given). */
const subgraphByUrl = new Map(
  SUBGRAPHS.map((s) => [process.env[s.urlEnv]?.replace(/\/+$/, ''), s.name] as const),
);

/**
 * The principal for one subgraph fetch, signed the way our gateway signs it for an agent: for
 * that subgraph (`aud`) and that exact body. Peers sign in their fetch hook, where both are known.
 */
export function principalFor(url: string, body: unknown): string {
  const name = subgraphByUrl.get(String(url).replace(/\/+$/, ''));
  if (!name) throw new Error(`no subgraph at ${url}`);
  return signPrincipal({ kind: 'agent', clientId: 'bench' }, secret!, {
    audience: name,
    body: typeof body === 'string' ? body : '',
  });
}
