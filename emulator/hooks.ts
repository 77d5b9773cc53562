// Test hooks under /__emulator — never part of the Salesforce surface
// (docs/salesforce/access-model.md#emulator-hooks).
import express, { Router } from 'express';
import type { CallFilter, Family } from './core/call-log.js';
import type { FaultInput } from './core/faults.js';
import type { Emulator } from './server.js';
import type { GapChangeType } from './pubsub/change-events.js';

const FAMILIES = ['crm', 'datacloud', 'scapi', 'identity'];
const KINDS = [
  'latency',
  'settle',
  'status',
  'expired-session',
  'throttle',
  'timeout',
  'lose-response',
  'error-body',
  'commit-late',
];

export function createHooksRouter(emulator: Omit<Emulator, 'app'> & { app?: unknown }): Router {
  const r = Router();
  r.use(express.json());

  // Calls: GET /calls?family=crm&method=GET&path=/query ; DELETE /calls
  r.get('/calls', (req, res) => {
    const filter: CallFilter = {
      family: req.query.family as Family | undefined,
      method: req.query.method as string | undefined,
      path: req.query.path as string | undefined,
    };
    const calls = emulator.log.list(filter);
    res.json({ total: calls.length, byFamily: countBy(calls.map((c) => c.family)), calls });
  });
  r.delete('/calls', (_req, res) => {
    emulator.log.reset();
    res.status(204).end();
  });

  // Faults: POST /faults {kind, family?, method?, path?, status?, latencyMs?, retryAfterSeconds?, errorBody?, count?, skip?, rate?}
  r.get('/faults', (_req, res) => res.json({ faults: emulator.faults.list() }));
  r.post('/faults', (req, res) => {
    const input = req.body as FaultInput;
    if (!input || !KINDS.includes(input.kind))
      return res.status(400).json({ error: `kind must be one of ${KINDS.join(', ')}` });
    if (input.family && !FAMILIES.includes(input.family))
      return res.status(400).json({ error: `family must be one of ${FAMILIES.join(', ')}` });
    if (input.rate !== undefined && !(input.rate >= 0 && input.rate <= 1))
      return res.status(400).json({ error: 'rate must be between 0 and 1' });
    if (input.skip !== undefined && !(Number.isInteger(input.skip) && input.skip >= 0))
      return res.status(400).json({ error: 'skip must be a non-negative integer' });
    res.status(201).json(emulator.faults.add(input));
  });
  // Writes held by 'commit-late' faults: POST /faults/{id}/commit performs them now.
  r.post('/faults/:id/commit', (req, res) => {
    res.json({ committed: emulator.faults.commitLateNow(req.params.id) });
  });
  r.delete('/faults/:id', (req, res) => {
    res.status(emulator.faults.remove(req.params.id) ? 204 : 404).end();
  });
  r.delete('/faults', (_req, res) => {
    emulator.faults.reset();
    res.status(204).end();
  });

  // Outbox of one-time passcodes: GET /outbox?to=ada@example.org
  r.get('/outbox', (req, res) =>
    res.json({ messages: emulator.outbox.list(req.query.to as string | undefined) }),
  );
  r.delete('/outbox', (_req, res) => {
    emulator.outbox.reset();
    res.status(204).end();
  });

  // Demo users and credentials.
  r.get('/demo-users', (_req, res) => {
    const { world, settings } = emulator.core;
    res.json({
      citizenPassword: world.citizenPassword,
      citizens: world.citizens.slice(0, 5).map((c) => ({
        username: c.username,
        password: world.citizenPassword,
        name: `${c.firstName} ${c.lastName}`,
        unifiedId: c.unifiedId,
        contactId: c.contactId,
        commerceCustomerId: c.commerceCustomerId,
      })),
      agents: world.agents.map((a) => ({
        username: a.username,
        password: a.password,
        userId: a.userId,
      })),
      integration: {
        clientId: world.integration.clientId,
        clientSecret: world.integration.clientSecret,
      },
      portalApp: world.portalApp,
      scapi: {
        organizationId: settings.scapiOrganizationId,
        siteId: settings.scapiSiteId,
        shortCode: settings.scapiShortCode,
      },
    });
  });

  // Daily API allowance: GET /limits ; PUT /limits {dailyApiRequests, used?, dataCloud?}
  // dataCloud: {query?|profile?: {daily?, concurrency?, used?}} (null: unlimited), see
  // data-cloud/limits.ts.
  const limits = () => ({
    dailyApiRequests: emulator.apiUsage.max,
    used: emulator.apiUsage.used,
    dataCloud: emulator.dataCloudLimits.snapshot(),
  });
  r.get('/limits', (_req, res) => res.json(limits()));
  r.put('/limits', (req, res) => {
    const max = Number(req.body?.dailyApiRequests ?? emulator.apiUsage.max);
    if (!Number.isInteger(max) || max < 0)
      return res.status(400).json({ error: 'dailyApiRequests must be a non-negative integer' });
    const dc = req.body?.dataCloud as Record<string, Record<string, unknown>> | undefined;
    for (const api of Object.keys(dc ?? {})) {
      if (api !== 'query' && api !== 'profile')
        return res.status(400).json({ error: 'dataCloud takes query and profile' });
      for (const [k, v] of Object.entries(dc![api] ?? {}))
        if (
          !['daily', 'concurrency', 'used'].includes(k) ||
          !(v === null || (Number.isInteger(v) && (v as number) >= 0))
        )
          return res
            .status(400)
            .json({ error: `dataCloud.${api}.${k} must be a non-negative integer or null` });
    }
    emulator.apiUsage.reset(max);
    if (req.body?.used !== undefined) emulator.apiUsage.used = Number(req.body.used);
    if (dc) emulator.dataCloudLimits.configure(dc);
    res.json(limits());
  });

  // Change Data Capture outside a transaction.
  // POST /cdc/gap {changeType: GAP_CREATE|GAP_UPDATE|GAP_DELETE|GAP_UNDELETE, records: [{id?, fields?}]}
  // plays a change applied directly in the database (an archive or data cleanup job): the Case
  // records are written without a change event (GAP_CREATE inserts, GAP_UPDATE sets `fields`,
  // GAP_DELETE deletes) and ONE gap event lists every record id.
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm
  // PUT /cdc {overflowThreshold}: the changes one transaction may publish before the rest become
  // an overflow event (Salesforce: 100,000).
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_overflow.htm
  r.post('/cdc/gap', (req, res) => {
    const changeType = req.body?.changeType as GapChangeType;
    const records = req.body?.records as Array<{ id?: string; fields?: Record<string, unknown> }>;
    if (!['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE'].includes(changeType))
      return res
        .status(400)
        .json({ error: 'changeType must be GAP_CREATE, GAP_UPDATE, GAP_DELETE or GAP_UNDELETE' });
    if (!Array.isArray(records) || !records.length)
      return res.status(400).json({ error: 'records must be a non-empty array' });
    const store = emulator.core.sobjects;
    const ids: string[] = [];
    for (const r of records) {
      if (changeType === 'GAP_CREATE') {
        const id = store.newId('Case');
        store.insert('Case', { ...(r.fields ?? {}), Id: id });
        ids.push(id);
        continue;
      }
      if (!r.id || !store.get('Case', r.id))
        return res.status(404).json({ error: `no Case ${r.id ?? '(missing id)'}` });
      if (changeType === 'GAP_UPDATE' && r.fields) store.update('Case', r.id, r.fields);
      if (changeType === 'GAP_DELETE') store.delete('Case', r.id);
      ids.push(r.id);
    }
    emulator.cdc.gap(changeType, ids, emulator.core.world.integration.userId);
    res.status(201).json({ changeType, recordIds: ids });
  });
  r.put('/cdc', (req, res) => {
    const n = Number(req.body?.overflowThreshold);
    if (!Number.isInteger(n) || n < 1)
      return res.status(400).json({ error: 'overflowThreshold must be a positive integer' });
    emulator.cdc.overflowThreshold = n;
    res.json({ overflowThreshold: n });
  });

  // Reset call log, faults and outbox (data stays) ; reseed all data.
  r.post('/reset', (_req, res) => {
    emulator.reset();
    res.status(204).end();
  });
  r.post('/reseed', (req, res) => {
    const citizens = req.body?.citizens === undefined ? undefined : Number(req.body.citizens);
    if (
      citizens !== undefined &&
      !(Number.isInteger(citizens) && citizens > 0 && citizens <= 1_000_000)
    )
      return res.status(400).json({ error: 'citizens must be an integer between 1 and 1000000' });
    const started = performance.now();
    emulator.reseed({
      citizens: citizens ?? emulator.core.world.citizens.length,
      seed: req.body?.seed,
    });
    res.json({
      citizens: emulator.core.world.citizens.length,
      ms: Math.round(performance.now() - started),
    });
  });
  return r;
}

function countBy(values: string[]) {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
