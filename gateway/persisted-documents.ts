// Trusted documents: operations sent by hash, looked up in the manifest codegen writes
// (gql/persisted-documents.json: `"sha256:<hex>": "<document>"`, graphql-codegen's client preset
// with `persistedDocuments`). Runs before Apollo, which then sees an ordinary `query`.
//
// Accepted forms:
// - `{"documentId": "sha256:<hex>"}` (or the bare hex), POST body or GET parameter — the client
//   preset's `__meta__.hash`, the GraphQL-over-HTTP persisted documents proposal;
// - Apollo's APQ `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}`:
//   a hash in the manifest is served from it (no registration round trip); any other hash is
//   Apollo's APQ as before (its cache, PERSISTED_QUERY_NOT_FOUND, register with the text).
// With TRUSTED_DOCUMENTS_ONLY=true (recommended in production) only manifest documents run: by
// id, by APQ hash, or as their exact text. Anything else is refused with HTTP 400
// `PERSISTED_QUERY_REQUIRED` before it is parsed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';

export interface TrustedDocumentsConfig {
  /** Refuse every document that is not in a manifest. */
  only: boolean;
  /**
   * Manifest files (hash → document); missing files are skipped unless `only` is set. Empty:
   * this repository's gql/persisted-documents.json.
   */
  manifestPaths: string[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HEX = /^[0-9a-f]{64}$/;

/** Hex sha256 of a document id: `sha256:<hex>` or `<hex>`; undefined for anything else. */
function hexOf(id: string): string | undefined {
  const hex = id.startsWith('sha256:') ? id.slice(7) : id;
  return HEX.test(hex) ? hex : undefined;
}

export class PersistedDocuments {
  /** hex sha256 → document text. */
  private readonly byHash = new Map<string, string>();

  constructor(manifests: Array<Record<string, string>> = []) {
    for (const m of manifests) {
      for (const [id, doc] of Object.entries(m)) {
        const hex = hexOf(id);
        if (!hex || typeof doc !== 'string' || sha256(doc) !== hex)
          throw new Error(`persisted document "${id}" is not the sha256 of its text`);
        this.byHash.set(hex, doc);
      }
    }
  }

  static fromFiles(paths: string[], required: boolean): PersistedDocuments {
    const manifests: Array<Record<string, string>> = [];
    for (const p of paths) {
      if (!existsSync(p)) {
        if (required)
          throw new Error(
            `TRUSTED_DOCUMENTS_ONLY is set but the manifest ${p} is missing (npm run codegen writes it)`,
          );
        continue;
      }
      manifests.push(JSON.parse(readFileSync(p, 'utf8')));
    }
    return new PersistedDocuments(manifests);
  }

  get size(): number {
    return this.byHash.size;
  }

  byId(id: string): string | undefined {
    const hex = hexOf(id);
    return hex ? this.byHash.get(hex) : undefined;
  }

  hasText(text: string): boolean {
    return this.byHash.has(sha256(text));
  }

  /** Every document with its id (`sha256:<hex>`), e.g. to find the ones marked as MCP tools. */
  *entries(): IterableIterator<{ id: string; text: string }> {
    for (const [hex, text] of this.byHash) yield { id: `sha256:${hex}`, text };
  }
}

interface Body {
  query?: unknown;
  documentId?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } };
}

const refuse = (res: Response, code: string, message: string) => {
  res.status(400).json({ errors: [{ message, extensions: { code } }] });
};

/** GET parameters as Apollo reads them (extensions is JSON). */
function fromSearch(req: Request): Body {
  const params = new URL(req.url, 'http://x').searchParams;
  let extensions: Body['extensions'];
  try {
    const raw = params.get('extensions');
    extensions = raw ? JSON.parse(raw) : undefined;
  } catch {
    extensions = undefined; // Apollo answers the malformed parameter itself
  }
  return {
    query: params.get('query') ?? undefined,
    documentId: params.get('documentId') ?? undefined,
    extensions,
  };
}

/** Puts the document into the request as `query` (body, or the GET search Apollo parses). */
function inject(req: Request, query: string): void {
  if (req.method === 'GET') {
    const url = new URL(req.url, 'http://x');
    url.searchParams.delete('documentId');
    url.searchParams.set('query', query);
    req.url = `${url.pathname}${url.search}`;
    return;
  }
  const body = req.body as Record<string, unknown>;
  delete body.documentId;
  body.query = query;
}

export function persistedDocumentsMiddleware(docs: PersistedDocuments, only: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const isGet = req.method === 'GET';
    const raw = isGet ? fromSearch(req) : (req.body as Body | undefined);
    // Batches and empty bodies are Apollo's to refuse.
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return next();

    if (raw.documentId !== undefined) {
      const doc = typeof raw.documentId === 'string' ? docs.byId(raw.documentId) : undefined;
      if (!doc)
        return refuse(
          res,
          'PERSISTED_QUERY_NOT_FOUND',
          'Unknown documentId: it is not in the persisted documents manifest.',
        );
      inject(req, doc);
      return next();
    }

    const apqHash = raw.extensions?.persistedQuery?.sha256Hash;
    if (typeof raw.query === 'string') {
      if (only && !docs.hasText(raw.query))
        return refuse(
          res,
          'PERSISTED_QUERY_REQUIRED',
          'This gateway runs trusted documents only: send the documentId of a persisted document (npm run codegen writes the manifest).',
        );
      return next();
    }
    if (typeof apqHash === 'string') {
      const doc = docs.byId(apqHash);
      if (doc) {
        inject(req, doc);
        return next();
      }
      if (only)
        return refuse(
          res,
          'PERSISTED_QUERY_REQUIRED',
          'This gateway runs trusted documents only: the hash is not in the persisted documents manifest.',
        );
      return next(); // Apollo's APQ
    }
    if (only)
      return refuse(
        res,
        'PERSISTED_QUERY_REQUIRED',
        'This gateway runs trusted documents only: send the documentId of a persisted document.',
      );
    return next();
  };
}
