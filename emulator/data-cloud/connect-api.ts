// Connect REST API segments on the core host (docs/salesforce/data-cloud.md#connect-api-segments),
// core token, CRM error envelope.
//   GET /segments?batchSize=&offset=&orderby=   → CdpSegmentContainerOutput
//       {batchSize, offset, orderByExpression, segments:[CdpSegmentOutput]}
//       https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-container-output.html
//       https://developer.salesforce.com/docs/atlas.en-us.246.0.chatterapi.meta/chatterapi/connect_resources_cdp_ssot_segments.htm
//   GET /segments/{apiName}                     → CdpSegmentContainerOutput with that one segment
//       https://developer.salesforce.com/docs/atlas.en-us.242.0.chatterapi.meta/chatterapi/connect_resources_cdp_ssot_segment.htm
//   GET /segments/{apiName}/members?limit=&offset=&orderBy=&fields=&filters=
//       → CdpSegmentMemberOutput {data:[CdpSegmentMemberRowOutput], endTime, filter, limit,
//         nextPageUrl, offSet, orderBy, rowCount, startTime, totalCount} (no `done`)
//       https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-member-output.html
//       https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-member-row-output.html
//       https://developer.salesforce.com/docs/atlas.en-us.246.0.chatterapi.meta/chatterapi/connect_resources_cdp_ssot_segment_members.htm
import { Router, type Request } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { requireCoreSession } from '../core/core-auth.js';
import { sendCrmError } from '../core/error-bodies.js';
import type { DataCloudDb, Row, SegmentDefinition } from './tables.js';

const MEMBERS_MAX_LIMIT = 1000;

/**
 * ConnectApi.CdpSegmentOutput: no `id`; the segment's id is `marketSegmentId` (1sg…).
 * https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-output.html
 * Status values from help "Segment Types and Statuses" (data.c360_a_segment_types_statuses):
 * segment status Active | Processing | Recounting | Error | Inactive; publish status
 * Success | Error | Skipped | Publishing. Their exact wire casing is UNCONFIRMED.
 */
function segmentOutput(s: SegmentDefinition) {
  return {
    apiName: s.apiName,
    dataSpace: 'default',
    description: s.description,
    developerName: s.apiName,
    displayName: s.displayName,
    marketSegmentDefinitionId: s.definitionId,
    marketSegmentId: s.id,
    publishInterval: 'TwentyFour',
    publishStatus: 'Success',
    segmentMembershipDmo: {
      historyTable: s.historyTable,
      latestTable: s.membershipTable,
      profileTable: s.segmentOnApiName,
    },
    segmentMembershipTable: s.membershipTable,
    segmentOnApiName: s.segmentOnApiName,
    segmentOnId: s.segmentOnId,
    segmentStatus: 'Active',
  };
}

const intParam = (req: Request, name: string, dflt: number) => {
  const raw = req.query[name];
  if (raw === undefined) return dflt;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : NaN;
};

/** Segment list sort keys (`orderby`, e.g. "Name ASC"); default: by id ascending (doc above). */
const SEGMENT_SORT: Record<string, (s: SegmentDefinition) => string> = {
  id: (s) => s.id,
  name: (s) => s.displayName,
  developername: (s) => s.apiName,
};

function parseOrder(raw: unknown, dflt: string): { field: string; desc: boolean } | null {
  const [field, dir, extra] = String(raw ?? dflt)
    .trim()
    .split(/\s+/);
  if (!field || extra !== undefined || (dir && !/^(ASC|DESC)$/i.test(dir))) return null;
  return { field, desc: dir?.toUpperCase() === 'DESC' };
}

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
    const order = parseOrder(req.query.orderby, 'Id ASC');
    const key = order && SEGMENT_SORT[order.field.toLowerCase()];
    if (!order || !key)
      return sendCrmError(
        res,
        400,
        'INVALID_INPUT',
        `Invalid orderby: ${String(req.query.orderby)}`,
      );
    const sorted = [...db().segments].sort(
      (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (order.desc ? -1 : 1),
    );
    const page = sorted.slice(offset, offset + batchSize);
    res.json({
      // "Number of items returned".
      batchSize: page.length,
      offset,
      orderByExpression: `${order.field} ${order.desc ? 'DESC' : 'ASC'}`,
      segments: page.map(segmentOutput),
    });
  });

  const find = (apiName: string) => db().segments.find((s) => s.apiName === apiName);

  router.get('/segments/:apiName', (req, res) => {
    const s = find(req.params.apiName);
    if (!s) return sendCrmError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    // getSegment returns a CdpSegmentContainerOutput (Apex CdpSegment.getSegment).
    res.json({ batchSize: 1, offset: 0, orderByExpression: null, segments: [segmentOutput(s)] });
  });

  router.get('/segments/:apiName/members', (req, res) => {
    const startTime = new Date().toISOString();
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
    const table = s.membershipTable;
    const t = db().table(table)!;
    // `fields` names membership DMO columns (default Id__c). The answer's rows are always
    // CdpSegmentMemberRowOutput; unknown columns are refused.
    const fields =
      typeof req.query.fields === 'string' && req.query.fields
        ? req.query.fields.split(',').map((f) => f.trim())
        : ['Id__c'];
    const bad = fields.find((f) => !t.column(f));
    if (bad)
      return sendCrmError(
        res,
        400,
        'INVALID_FIELD',
        `No such column '${bad}' on entity '${table}'.`,
      );
    const order = parseOrder(req.query.orderBy, 'Id__c ASC');
    const orderCol = order && t.column(order.field);
    if (!order || !orderCol)
      return sendCrmError(
        res,
        400,
        'INVALID_FIELD',
        `No such column '${String(req.query.orderBy)}' on entity '${table}'.`,
      );
    const rows = t
      .lookup('Segment_Id__c', s.id)
      .map((i) => t.rows[i])
      .sort((a, b) => {
        const x = String(a[orderCol.name] ?? '');
        const y = String(b[orderCol.name] ?? '');
        return x === y ? 0 : (x < y ? -1 : 1) * (order.desc ? -1 : 1);
      });
    const pageRows = rows.slice(offset, offset + limit);
    const orderBy = `${orderCol.name} ${order.desc ? 'DESC' : 'ASC'}`;
    // nextPageUrl: a path on the core host like other Connect next-page URLs; its exact
    // query string is UNCONFIRMED. Null on the last page.
    const base = req.baseUrl.replace(/^.*?(\/services\/data\/)/, '$1');
    const nextOffset = offset + pageRows.length;
    const nextPageUrl =
      nextOffset < rows.length
        ? `${base}/segments/${encodeURIComponent(s.apiName)}/members?${new URLSearchParams({
            limit: String(limit),
            offset: String(nextOffset),
            orderBy,
            ...(req.query.fields ? { fields: fields.join(',') } : {}),
          }).toString()}`
        : null;
    const str = (r: Row, c: string) => (r[c] === null || r[c] === undefined ? null : String(r[c]));
    res.json({
      data: pageRows.map((r) => ({
        deltaType: str(r, 'Delta_Type__c'),
        id: str(r, 'Id__c'),
        kqId: str(r, 'KQ_Id__c'),
        snapshotType: str(r, 'Snapshot_Type__c'),
        timestamp: str(r, 'Timestamp__c'),
        versionStamp: str(r, 'Version_Stamp__c'),
      })),
      endTime: new Date().toISOString(),
      // `filters` is echoed but not evaluated by the emulator (the product sends none).
      filter: typeof req.query.filters === 'string' ? req.query.filters : null,
      limit,
      nextPageUrl,
      offSet: offset,
      orderBy,
      rowCount: pageRows.length,
      startTime,
      totalCount: rows.length,
    });
  });

  router.use((_req, res) =>
    sendCrmError(res, 404, 'NOT_FOUND', 'The requested resource does not exist'),
  );
  return router;
}
