// Data Graph API and Universal ID lookup on the tenant endpoint. Salesforce's documentation:
//   overview   https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_data_graphs_overview.htm
//   by id      https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_name_id.htm
//   lookupKeys https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_lookup.htm
//   metadata   https://developer.salesforce.com/docs/atlas.en-us.252.0.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_metadata_name.htm
// Both data reads answer `data` (rows whose json_blob__c holds the whole graph as a JSON string:
// primary-DMO fields at the root, related objects as arrays under their API names, nested along
// the graph's paths) and `done`.
//
// One data graph, Citizen_360: the unified individual at the root; its source links, each with the
// source individual nested and, under it, that individual's party identifications (the Commerce
// login); its unified contact points; the calculated insight; and the segment membership DMO
// (a data graph's objects may be Calculated and SegmentMembership objects, ConnectApi
// DataGraphObjectData:
//   https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-data-graph-object-data.html).
import { Router } from 'express';
import { sendDataCloudError } from '../core/error-bodies.js';
import { CI_NAME, LINK, SEGMENT_MEMBERSHIP, UNIFIED } from './seed.js';
import type { DataCloudDb, Row } from './tables.js';

export const DATA_GRAPH = 'Citizen_360';
const CONTACT_POINTS = [
  'UnifiedssotContactPointEmailIr1__dlm',
  'UnifiedssotContactPointPhoneIr1__dlm',
  'UnifiedssotContactPointAddressIr1__dlm',
];
const INDIVIDUAL = 'ssot__Individual__dlm';
const PARTY_IDENTIFICATION = 'ssot__PartyIdentification__dlm';
/** Related objects keyed to the unified id at the root, with the column that holds it. */
const ROOT_RELATED: Array<[string, string]> = [
  ...CONTACT_POINTS.map((cp): [string, string] => [cp, 'ssot__PartyId__c']),
  [CI_NAME, 'UnifiedIndividualId__c'],
  [SEGMENT_MEMBERSHIP, 'Id__c'],
];

function rowsBy(db: DataCloudDb, table: string, col: string, value: string): Row[] {
  const t = db.table(table)!;
  return t.lookup(col, value).map((i) => t.rows[i]);
}

function blob(db: DataCloudDb, unified: Row): string {
  const id = String(unified.ssot__Id__c);
  const graph: Record<string, unknown> = { ...unified };
  graph[LINK] = rowsBy(db, LINK, 'UnifiedRecordId__c', id).map((l) => ({
    ...l,
    [INDIVIDUAL]: rowsBy(db, INDIVIDUAL, 'ssot__Id__c', String(l.SourceRecordId__c)).map((i) => ({
      ...i,
      [PARTY_IDENTIFICATION]: rowsBy(
        db,
        PARTY_IDENTIFICATION,
        'ssot__PartyId__c',
        String(i.ssot__Id__c),
      ),
    })),
  }));
  for (const [name, col] of ROOT_RELATED) graph[name] = rowsBy(db, name, col, id);
  return JSON.stringify(graph);
}

function metadata(db: DataCloudDb) {
  const fields = (name: string) =>
    db
      .table(name)!
      .columns.map((c) => ({ name: c.name, type: c.type === 'VARCHAR' ? 'STRING' : c.type }));
  const leaf = (name: string, type = 'DMO') => ({
    developerName: name,
    type,
    fields: fields(name),
    relatedObjects: [],
  });
  return {
    developerName: DATA_GRAPH,
    dataspaceName: 'default',
    primaryObjectName: UNIFIED,
    valuesDmoName: `${DATA_GRAPH}_values__dlm`,
    idDmoName: `${DATA_GRAPH}_id__dlm`,
    version: '1',
    primaryObjectType: 'DMO',
    status: 'READY',
    object: {
      developerName: UNIFIED,
      type: 'DMO',
      fields: fields(UNIFIED),
      relatedObjects: [
        {
          developerName: LINK,
          type: 'DMO',
          fields: fields(LINK),
          relatedObjects: [
            {
              developerName: INDIVIDUAL,
              type: 'DMO',
              fields: fields(INDIVIDUAL),
              relatedObjects: [leaf(PARTY_IDENTIFICATION)],
            },
          ],
        },
        ...CONTACT_POINTS.map((cp) => leaf(cp)),
        // The type literal of a calculated insight in this answer is UNCONFIRMED (the documented
        // example shows only DMOs).
        leaf(CI_NAME, 'CIO'),
        leaf(SEGMENT_MEMBERSHIP),
      ],
    },
  };
}

/** `[Dmo__dlm.Field__c=value]` → [dmo, field, value]. */
function parseLookupKey(raw: string): [string, string, string] | undefined {
  const m = /^\[?\s*([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\s*=\s*(.*?)\s*\]?$/.exec(raw);
  return m ? [m[1], m[2], m[3]] : undefined;
}

export function createDataGraphRouter(db: () => DataCloudDb): Router {
  const router = Router();
  router.get('/api/v1/dataGraph/metadata', (req, res) => {
    const name = req.query.entityName;
    if (typeof name === 'string' && name !== DATA_GRAPH) return res.json({ metadata: [] });
    res.json({ metadata: [metadata(db())] });
  });

  router.get('/api/v1/dataGraph/:name', (req, res) => {
    if (req.params.name !== DATA_GRAPH)
      return sendDataCloudError(
        res,
        404,
        'NOT_FOUND',
        `Data graph '${req.params.name}' was not found.`,
      );
    const key = parseLookupKey(String(req.query.lookupKeys ?? ''));
    const t = key && db().table(key[0]);
    const col = key && t?.column(key[1]);
    if (!key || !t || !col)
      return sendDataCloudError(
        res,
        400,
        'INVALID_ARGUMENT',
        'lookupKeys must look like [Dmo__dlm.Field__c=value] on a DMO of the graph.',
      );
    const matches = t.lookup(col.name, key[2]).map((i) => t.rows[i]);
    // Walk each matching row back to its unified individual.
    const unifiedIds = new Set<string>();
    const viaSource = (sourceId: string) => {
      for (const l of rowsBy(db(), LINK, 'SourceRecordId__c', sourceId))
        unifiedIds.add(String(l.UnifiedRecordId__c));
    };
    for (const r of matches) {
      if (t.name === UNIFIED) unifiedIds.add(String(r.ssot__Id__c));
      else if (t.name === LINK) unifiedIds.add(String(r.UnifiedRecordId__c));
      else if (t.name === CI_NAME) unifiedIds.add(String(r.UnifiedIndividualId__c));
      else if (t.name === SEGMENT_MEMBERSHIP) unifiedIds.add(String(r.Id__c));
      else if (t.name === INDIVIDUAL) viaSource(String(r.ssot__Id__c));
      else if (t.name === PARTY_IDENTIFICATION) viaSource(String(r.ssot__PartyId__c));
      else if ('ssot__PartyId__c' in r) unifiedIds.add(String(r.ssot__PartyId__c));
    }
    const data = [...unifiedIds]
      .flatMap((id) => rowsBy(db(), UNIFIED, 'ssot__Id__c', id))
      .map((u) => ({ json_blob__c: blob(db(), u) }));
    res.json({ data, done: true });
  });

  router.get('/api/v1/dataGraph/:name/:id', (req, res) => {
    if (req.params.name !== DATA_GRAPH)
      return sendDataCloudError(
        res,
        404,
        'NOT_FOUND',
        `Data graph '${req.params.name}' was not found.`,
      );
    const unified = rowsBy(db(), UNIFIED, 'ssot__Id__c', req.params.id);
    res.json({ data: unified.map((u) => ({ json_blob__c: blob(db(), u) })), done: true });
  });

  router.get(
    '/api/v1/universalIdLookup/:entity/:dataSourceId/:dataSourceObjectId/:sourceRecordId',
    (req, res) => {
      const { entity, dataSourceId, dataSourceObjectId, sourceRecordId } = req.params;
      if (entity.toLowerCase() !== LINK.toLowerCase())
        return sendDataCloudError(res, 404, 'NOT_FOUND', `Link entity '${entity}' was not found.`);
      const link = rowsBy(db(), LINK, 'SourceRecordId__c', sourceRecordId).find(
        (l) =>
          l.ssot__DataSourceId__c === dataSourceId &&
          l.ssot__DataSourceObjectId__c === dataSourceObjectId,
      );
      const rows = link
        ? rowsBy(db(), LINK, 'UnifiedRecordId__c', String(link.UnifiedRecordId__c))
        : [];
      res.json({
        data: rows.map((l) => ({
          SourceRecordId__c: l.SourceRecordId__c,
          UnifiedRecordId__c: l.UnifiedRecordId__c,
          ssot__DataSourceObjectId__c: l.ssot__DataSourceObjectId__c,
          ssot__DataSourceId__c: l.ssot__DataSourceId__c,
        })),
      });
    },
  );
  return router;
}
