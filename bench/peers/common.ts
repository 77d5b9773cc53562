// Shared by the peer gateways (run as `node --import tsx bench/peers/<peer>.ts` from the repo
// root): the supergraph with the bench's subgraph URLs, and a principal signed ahead of time the
// way our gateway would sign it for an agent, re-signed every 30 s (it lives 60 s).
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
let signed = signPrincipal({ kind: 'agent', clientId: 'bench' }, secret);
setInterval(() => {
  signed = signPrincipal({ kind: 'agent', clientId: 'bench' }, secret);
}, 30_000).unref();

/** The current pre-signed agent principal. */
export const principal = () => signed;
