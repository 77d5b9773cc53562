// Connect REST API segments on the core host (reference §2.7), core token, CRM error envelope.
//   GET /segments?batchSize=&offset=          → {segments:[...], totalSize}
//   GET /segments/{apiName}                   → {segments:[{...}]}
//   GET /segments/{apiName}/members?limit=&offset=&fields=&orderBy=
//       → {data:[{"Id__c": "..."}], done}     (body shape UNCONFIRMED on a real org; kept minimal)
import { Router, type Request } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { requireCoreSession } from '../core/core-auth.js';
import { sendCrmError } from '../core/error-bodies.js';
import { SEGMENT_MEMBERSHIP, UNIFIED } from './seed.js';
import type { DataCloudDb, SegmentDefinition, Value } from './tables.js';

const MEMBERS_MAX_LIMIT = 1000;

function segmentOutput(s: SegmentDefinition) {
  return {
    apiName: s.apiName,
    dataSpace: 'default',
    description: s.description,
    displayName: s.displayName,
    id: s.id,
    lastPublishedEndDateTime: s.lastPublishedEndDateTime,
    publishStatus: 'PUBLISHED',
    segmentOnApiName: UNIFIED,
    segmentStatus: 'ACTIVE',
    segmentType: 'UI',
  };
}

const intParam = (req: Request, name: string, dflt: number) => {
  const raw = req.query[name];
  if (raw === undefined) return dflt;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : NaN;
};

export function createConnectRouter(core: EmulatorCore, db: () => DataCloudDb): Router {
  const router = Router();
  router.use(requireCoreSession(core));

  router.get('/segments', (req, res) => {
    const batchSize = intParam(req, 'batchSize', 20);
    const offset = intParam(req, 'offset', 0);
    if (Number.isNaN(batchSize) || batchSize < 1 || batchSize > 200 || Number.isNaN(offset))
      return sendCrmError(
        res,
        400,
        'INVALID_INPUT',
        'batchSize must be between 1 and 200 and offset a non-negative integer.',
      );
    const all = db().segments;
    res.json({
      segments: all.slice(offset, offset + batchSize).map(segmentOutput),
      totalSize: all.length,
    });
  });

  const find = (apiName: string) => db().segments.find((s) => s.apiName === apiName);

  router.get('/segments/:apiName', (req, res) => {
    const s = find(req.params.apiName);
    if (!s) return sendCrmError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    res.json({ segments: [segmentOutput(s)] });
  });

  router.get('/segments/:apiName/members', (req, res) => {
    const s = find(req.params.apiName);
    if (!s) return sendCrmError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const limit = intParam(req, 'limit', 100);
    const offset = intParam(req, 'offset', 0);
    if (Number.isNaN(limit) || limit < 1 || limit > MEMBERS_MAX_LIMIT || Number.isNaN(offset))
      return sendCrmError(
        res,
        400,
        'INVALID_INPUT',
        `limit must be between 1 and ${MEMBERS_MAX_LIMIT} and offset a non-negative integer.`,
      );
    const t = db().table(SEGMENT_MEMBERSHIP)!;
    const fields =
      typeof req.query.fields === 'string' && req.query.fields
        ? req.query.fields.split(',').map((f) => f.trim())
        : ['Id__c'];
    const cols = fields.map((f) => t.column(f));
    const bad = fields.find((_f, i) => !cols[i]);
    if (bad)
      return sendCrmError(
        res,
        400,
        'INVALID_FIELD',
        `No such column '${bad}' on entity '${SEGMENT_MEMBERSHIP}'.`,
      );
    let rows = t.lookup('Segment_Id__c', s.id).map((i) => t.rows[i]);
    const [orderField, orderDir] = String(req.query.orderBy ?? 'Id__c ASC')
      .trim()
      .split(/\s+/);
    const orderCol = t.column(orderField);
    if (!orderCol)
      return sendCrmError(
        res,
        400,
        'INVALID_FIELD',
        `No such column '${orderField}' on entity '${SEGMENT_MEMBERSHIP}'.`,
      );
    const desc = orderDir?.toUpperCase() === 'DESC';
    rows = [...rows].sort((a, b) => {
      const x = String(a[orderCol.name] ?? '');
      const y = String(b[orderCol.name] ?? '');
      return x === y ? 0 : (x < y ? -1 : 1) * (desc ? -1 : 1);
    });
    const pageRows = rows.slice(offset, offset + limit);
    res.json({
      data: pageRows.map(
        (r) =>
          Object.fromEntries(cols.map((c) => [c!.name, r[c!.name] ?? null])) as Record<
            string,
            Value
          >,
      ),
      done: offset + limit >= rows.length,
    });
  });

  router.use((_req, res) =>
    sendCrmError(res, 404, 'NOT_FOUND', 'The requested resource does not exist'),
  );
  return router;
}
