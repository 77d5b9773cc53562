// Query API v2 (docs/salesforce/data-cloud.md#query-api): POST /api/v2/query {sql} → positional
// rows in batches; GET /api/v2/query/{nextBatchId} for the next batch until done:true.
//   https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_query_v2.htm
//   https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_get_query_v2.htm
// A nextBatchId is single use (docs/salesforce/data-cloud.md#query-api): each answer hands out the
// id of the batch after it, and "you can continue using subsequent next batch IDs for up to an
// hour" (Connect "Data Cloud Query Batch", chatterapi connect_resources_cdp_ssot_query_nextBatch).
import express, { Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { EmulatorClock } from '../core/clock.js';
import { sendDataCloudError } from '../core/error-bodies.js';
import { executeSql, SqlError, type ResultColumn } from './sql-engine.js';
import { TYPE_CODES, type DataCloudDb, type Value } from './tables.js';

/** Rows per batch. Real v2 batches are bounded by size; a fixed row count keeps paging testable. */
export const QUERY_BATCH_SIZE = 4999;
/** Next batch ids stay usable for up to an hour (doc above). */
const BATCH_TTL_MS = 60 * 60_000;
const MAX_OPEN_QUERIES = 200;

interface OpenQuery {
  queryId: string;
  columns: ResultColumn[];
  rows: Value[][];
  offset: number;
  expiresAt: number;
}

function queryId(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const rand = randomUUID().replace(/-/g, '');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}_${rand.slice(0, 5)}_${rand.slice(5, 10)}`;
}

export function createQueryRouter(db: () => DataCloudDb, clock: EmulatorClock): Router {
  const router = Router();
  const open = new Map<string, OpenQuery>();

  const answer = (q: OpenQuery, startTime: string) => {
    const batch = q.rows.slice(q.offset, q.offset + QUERY_BATCH_SIZE);
    q.offset += batch.length;
    const done = q.offset >= q.rows.length;
    let nextBatchId: string | undefined;
    if (!done) {
      nextBatchId = randomUUID();
      q.expiresAt = clock.now() + BATCH_TTL_MS;
      open.set(nextBatchId, q);
    }
    const metadata: Record<string, { type: string; placeInOrder: number; typeCode: number }> = {};
    q.columns.forEach(
      (c, i) =>
        (metadata[c.name] = { type: c.type, placeInOrder: i, typeCode: TYPE_CODES[c.type] }),
    );
    return {
      data: batch,
      startTime,
      endTime: new Date().toISOString(),
      rowCount: batch.length,
      queryId: q.queryId,
      ...(nextBatchId ? { nextBatchId } : {}),
      done,
      metadata,
    };
  };

  const sweep = () => {
    const now = clock.now();
    for (const [id, q] of open) if (q.expiresAt <= now) open.delete(id);
    while (open.size > MAX_OPEN_QUERIES) open.delete(open.keys().next().value as string);
  };

  router.post('/api/v2/query', express.json({ limit: '5mb' }), (req, res) => {
    const started = new Date();
    const sql = (req.body as { sql?: unknown } | undefined)?.sql;
    if (typeof sql !== 'string' || !sql.trim())
      return sendDataCloudError(
        res,
        400,
        'INVALID_ARGUMENT',
        'The request body must contain a non-empty "sql" field.',
      );
    try {
      const result = executeSql(db(), sql);
      sweep();
      const q: OpenQuery = {
        queryId: queryId(started),
        columns: result.columns,
        rows: result.rows,
        offset: 0,
        expiresAt: 0,
      };
      res.json(answer(q, started.toISOString()));
    } catch (err) {
      if (err instanceof SqlError) return sendDataCloudError(res, 400, err.errorCode, err.message);
      throw err;
    }
  });

  router.get('/api/v2/query/:batchId', (req, res) => {
    // Single use: the id is spent by this GET whatever happens to the answer. A second GET of
    // the same id fails; the documentation names no status or code for that, so 404 NOT_FOUND
    // (as for an unknown or expired id) is UNCONFIRMED.
    const q = open.get(req.params.batchId);
    open.delete(req.params.batchId);
    if (!q || q.expiresAt <= clock.now())
      return sendDataCloudError(
        res,
        404,
        'NOT_FOUND',
        `Batch ${req.params.batchId} was not found or has expired.`,
      );
    res.json(answer(q, new Date().toISOString()));
  });
  return router;
}
