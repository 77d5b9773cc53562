// /query and /queryAll with batchSize and queryMore locators
// (docs/salesforce/crm-rest.md#soql-query).
import { sfId } from '../ids.js';
import type { EmulatorClock } from '../core/clock.js';
import type { EmulatorCore } from '../core/emulator-core.js';
import { ApiError, type ApiCall, type ApiResult } from './api-call.js';
import { compileSoql, SoqlError, type CompiledQuery } from './soql-compile.js';
import { executeSoql, projectRow } from './soql-evaluate.js';
import { rowAccess } from './permissions.js';
import type { SObjectRecord } from './sobject-store.js';

interface Cursor {
  query: CompiledQuery;
  rows: SObjectRecord[];
  batchSize: number;
  expiresAt: number;
}

const LOCATOR_TTL_MS = 15 * 60_000;
const MAX_LOCATORS = 500;

/** Open query cursors of one org; the oldest are dropped beyond a bound (real orgs cap open cursors too). */
export class QueryLocators {
  private cursors = new Map<string, Cursor>();
  private seq = 0;

  constructor(private readonly clock: EmulatorClock) {}

  open(c: Omit<Cursor, 'expiresAt'>): string {
    const id = sfId('01g', ++this.seq);
    this.cursors.set(id, { ...c, expiresAt: this.clock.now() + LOCATOR_TTL_MS });
    if (this.cursors.size > MAX_LOCATORS) this.cursors.delete(this.cursors.keys().next().value!);
    return id;
  }

  get(id: string): Cursor | undefined {
    const c = this.cursors.get(id);
    if (c && c.expiresAt < this.clock.now()) {
      this.cursors.delete(id);
      return undefined;
    }
    return c;
  }
}

function batchSizeOf(header: string | undefined): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!m) return 2000;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function page(
  core: EmulatorCore,
  call: ApiCall,
  locators: QueryLocators,
  cursor: Cursor,
  offset: number,
  locatorId?: string,
) {
  const end = Math.min(cursor.rows.length, offset + cursor.batchSize);
  const records = cursor.rows
    .slice(offset, end)
    .map((r) => projectRow(core.sobjects, cursor.query, r, call.version));
  const done = end >= cursor.rows.length;
  const body: Record<string, unknown> = { totalSize: cursor.rows.length, done };
  if (!done) {
    const id = locatorId ?? locators.open(cursor);
    const resource = call.path.startsWith('/queryAll') ? 'queryAll' : 'query';
    body.nextRecordsUrl = `/services/data/${call.version}/${resource}/${id}-${end}`;
  }
  body.records = records;
  return body;
}

export function queryRoute(
  core: EmulatorCore,
  call: ApiCall,
  locators: QueryLocators,
  parts: string[],
): ApiResult {
  if (call.method !== 'GET')
    throw new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${call.method}' not allowed. Allowed are GET`,
    );
  if (parts.length === 1) {
    const m = /^(01g[A-Za-z0-9]{12,15})-(\d+)$/.exec(parts[0]);
    const cursor = m ? locators.get(m[1]) : undefined;
    if (!m || !cursor) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return { status: 200, body: page(core, call, locators, cursor, Number(m[2]), m[1]) };
  }
  const q = call.query.get('q');
  if (!q) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  try {
    const compiled = compileSoql(q);
    const { rows, totalSize } = executeSoql(
      core.sobjects,
      compiled,
      rowAccess(core, compiled.obj.name, call.userId),
    );
    if (compiled.countOnly) return { status: 200, body: { totalSize, done: true, records: [] } };
    const cursor = {
      query: compiled,
      rows,
      batchSize: batchSizeOf(call.headers['sforce-query-options']),
    };
    return { status: 200, body: page(core, call, locators, { ...cursor, expiresAt: 0 }, 0) };
  } catch (err) {
    if (err instanceof SoqlError) throw new ApiError(400, err.errorCode, err.message);
    throw err;
  }
}
