// Data Graph API and Universal ID lookup on the tenant endpoint (reference §2.5, §2.6).
// One data graph, Citizen_360: the unified individual at the root, its source links (each with
// the source individual nested), and its unified contact points. Rows carry the graph as a JSON
// string in json_blob__c.
import { Router } from 'express';
import { sendDataCloudError } from '../core/error-bodies.js';
import { LINK, UNIFIED } from './seed.js';
import type { DataCloudDb, Row } from './tables.js';

export const DATA_GRAPH = 'Citizen_360';
const CONTACT_POINTS = [
  'UnifiedssotContactPointEmailIr1__dlm',
  'UnifiedssotContactPointPhoneIr1__dlm',
  'UnifiedssotContactPointAddressIr1__dlm',
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
    ssot__Individual__dlm: rowsBy(
      db,
      'ssot__Individual__dlm',
      'ssot__Id__c',
      String(l.SourceRecordId__c),
    ),
  }));
  for (const cp of CONTACT_POINTS) graph[cp] = rowsBy(db, cp, 'ssot__PartyId__c', id);
  return JSON.stringify(graph);
}

function metadata(db: DataCloudDb) {
  const fields = (name: string) =>
    db
      .table(name)!
      .columns.map((c) => ({ name: c.name, type: c.type === 'VARCHAR' ? 'STRING' : c.type }));
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
              developerName: 'ssot__Individual__dlm',
              type: 'DMO',
              fields: fields('ssot__Individual__dlm'),
              relatedObjects: [],
            },
          ],
        },
        ...CONTACT_POINTS.map((cp) => ({
          developerName: cp,
          type: 'DMO',
          fields: fields(cp),
          relatedObjects: [],
        })),
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
    for (const r of matches) {
      if (t.name === UNIFIED) unifiedIds.add(String(r.ssot__Id__c));
      else if (t.name === LINK) unifiedIds.add(String(r.UnifiedRecordId__c));
      else if ('ssot__PartyId__c' in r) unifiedIds.add(String(r.ssot__PartyId__c));
      else if (t.name === 'ssot__Individual__dlm')
        for (const l of rowsBy(db(), LINK, 'SourceRecordId__c', String(r.ssot__Id__c)))
          unifiedIds.add(String(l.UnifiedRecordId__c));
    }
    const data = [...unifiedIds]
      .flatMap((id) => rowsBy(db(), UNIFIED, 'ssot__Id__c', id))
      .map((u) => ({ json_blob__c: blob(db(), u) }));
    res.json({ data });
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
    res.json({ data: unified.map((u) => ({ json_blob__c: blob(db(), u) })) });
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
