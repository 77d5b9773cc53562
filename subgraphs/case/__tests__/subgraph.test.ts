// The Case subgraph over HTTP against the emulator (harness.ts): batching (call counts from the
// emulator's log), idempotent mutations, access rules, _entities for Citizen(contactId) and
// Case(id).
import type { Principal } from '../../../lib/principal.js';
import { startSubgraph, TEST_PRINCIPAL_SECRET as SECRET } from '../../../test/harness.js';
import { loadCaseConfig } from '../config.js';
import { InMemoryKeyedLock, type KeyedLock } from '../../../lib/keyed-lock.js';
import { citizenPrincipal } from '../../../test/support/principals.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { IDEMPOTENCY_KEY_REUSED_ERROR } from '../../../test/support/user-errors.js';

let h: SubgraphHarness<'case'>;
beforeAll(async () => {
  h = await startSubgraphHarness('case', { citizens: 60 });
});
afterAll(() => h.close());
beforeEach(() => h.emu.log.reset());

const emu = () => h.emu;
const citizens = () => h.emu.core.world.citizens;
const asCitizen = (i: number): Principal => citizenPrincipal(citizens()[i]);
const agent: Principal = { kind: 'agent', clientId: 'test' };
const gql = (principal: Principal, query: string, variables: Record<string, unknown> = {}) =>
  h.gql(principal, query, variables);
const crmCalls = (path?: string) => h.calls('crm', { path, tokens: false });

const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Citizen { contactId cases(first: 100) { totalCount edges { cursor node { id caseNumber status createdAt citizen { contactId } } } } } } }`;

describe('Citizen.cases', () => {
  test('cases of 10 citizens via _entities: exactly one CRM query', async () => {
    const reps = citizens()
      .slice(0, 10)
      .map((c) => ({ __typename: 'Citizen', contactId: c.contactId }));
    const body = await gql(agent, ENTITIES, { reps });
    expect(body.errors).toBeUndefined();
    expect(crmCalls()).toHaveLength(1);
    expect(crmCalls()[0].path).toBe('/services/data/v62.0/query');
    for (const [i, ent] of body.data._entities.entries()) {
      const expected = [...emu().core.sobjects.all('Case')].filter(
        (r) => r.ContactId === reps[i].contactId,
      );
      expect(ent.cases.totalCount).toBe(expected.length);
      for (const e of ent.cases.edges) expect(e.node.citizen.contactId).toBe(reps[i].contactId);
      const dates = ent.cases.edges.map((e: any) => e.node.createdAt);
      expect([...dates].sort().reverse()).toEqual(dates);
    }
  });

  test('paging and status filter; first > 100 is BAD_USER_INPUT', async () => {
    const i = citizens().findIndex(
      (c) => [...emu().core.sobjects.findBy('Case', 'ContactId', c.contactId)].length >= 3,
    );
    const c = citizens()[i];
    const q = `query($reps: [_Any!]!, $after: String) { _entities(representations: $reps) { ... on Citizen {
      cases(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`;
    const p1 = await gql(asCitizen(i), q, {
      reps: [{ __typename: 'Citizen', contactId: c.contactId }],
    });
    const conn1 = p1.data._entities[0].cases;
    expect(conn1.edges).toHaveLength(2);
    expect(conn1.pageInfo.hasNextPage).toBe(true);
    const p2 = await gql(asCitizen(i), q, {
      reps: [{ __typename: 'Citizen', contactId: c.contactId }],
      after: conn1.pageInfo.endCursor,
    });
    expect(p2.data._entities[0].cases.edges[0].node.id).not.toBe(conn1.edges[0].node.id);
    const closed = await gql(
      agent,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Citizen { cases(status: [CLOSED]) { totalCount edges { node { status } } } } } }`,
      {
        reps: [{ __typename: 'Citizen', contactId: c.contactId }],
      },
    );
    const expectedClosed = emu()
      .core.sobjects.findBy('Case', 'ContactId', c.contactId)
      .filter((r) => r.Status === 'Closed').length;
    expect(closed.data._entities[0].cases.totalCount).toBe(expectedClosed);
    const tooMany = await gql(
      agent,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Citizen { cases(first: 101) { totalCount } } } }`,
      {
        reps: [{ __typename: 'Citizen', contactId: c.contactId }],
      },
    );
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test("a citizen gets an empty connection for someone else's contactId, without any CRM call", async () => {
    const body = await gql(asCitizen(0), ENTITIES, {
      reps: [{ __typename: 'Citizen', contactId: citizens()[1].contactId }],
    });
    expect(body.data._entities[0].cases).toEqual({ totalCount: 0, edges: [] });
    expect(emu().log.list({ family: 'crm' })).toHaveLength(0);
  });
});

describe('Case', () => {
  const caseOf = (contactId: string) =>
    emu().core.sobjects.findBy('Case', 'ContactId', contactId)[0];

  test('case(id) for the owner and agents; null for others and anonymous', async () => {
    const i = citizens().findIndex((c) => caseOf(c.contactId));
    const c = caseOf(citizens()[i].contactId);
    const q = `query($id: ID!) { case(id: $id) { id caseNumber subject status citizen { contactId } } }`;
    const own = await gql(asCitizen(i), q, { id: c.Id });
    expect(own.data.case).toMatchObject({ id: c.Id, caseNumber: c.CaseNumber, subject: c.Subject });
    expect(emu().log.list({ family: 'crm', path: '/composite/sobjects/Case' })).toHaveLength(1);
    const other = await gql(asCitizen(i === 0 ? 1 : 0), q, { id: c.Id });
    expect(other.data.case).toBeNull();
    expect((await gql(agent, q, { id: c.Id })).data.case.id).toBe(c.Id);
    emu().log.reset();
    expect((await gql({ kind: 'anonymous' }, q, { id: c.Id })).data.case).toBeNull();
    expect((await gql(agent, q, { id: "500' OR Id != '" })).data.case).toBeNull();
    expect(crmCalls()).toHaveLength(0);
  });

  test('_entities Case(id) batches into one collections retrieve and comments into one SOQL', async () => {
    const ids = [...emu().core.sobjects.all('Case')].slice(0, 15).map((r) => r.Id);
    const body = await gql(
      agent,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Case { id comments { id body createdAt } } } }`,
      {
        reps: ids.map((id) => ({ __typename: 'Case', id })),
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((e: any) => e.id)).toEqual(ids);
    expect(crmCalls('/composite/sobjects/Case')).toHaveLength(1);
    expect(crmCalls('/query')).toHaveLength(1);
    for (const [k, e] of body.data._entities.entries()) {
      const expected = emu()
        .core.sobjects.findBy('CaseComment', 'ParentId', ids[k])
        .filter((r) => r.IsPublished);
      expect(e.comments).toHaveLength(expected.length);
    }
  });
});

describe('mutations', () => {
  // lib/graphql's answer, the same in every subgraph.
  const INVALID_KEY = {
    code: 'INVALID_IDEMPOTENCY_KEY',
    field: ['input', 'idempotencyKey'],
    message: 'The idempotency key must be 8 to 80 characters long.',
  };
  const CREATE = `mutation($input: CreateCaseInput!) { createCase(input: $input) { case { id caseNumber subject status priority citizen { contactId } } userErrors { code field message } } }`;
  const COMMENT = `mutation($input: AddCaseCommentInput!) { addCaseComment(input: $input) { comment { id body } case { id comments { id body } } userErrors { code field message } } }`;

  test('createCase retry returns the same case; keys are scoped per citizen', async () => {
    const input = {
      idempotencyKey: 'retry-key-0001',
      subject: "Pothole on O'Brien St \\ 'x' OR 1=1",
      description: 'deep',
    };
    const a = await gql(asCitizen(5), CREATE, { input });
    expect(a.data.createCase.userErrors).toEqual([]);
    expect(a.data.createCase.case).toMatchObject({
      subject: input.subject,
      status: 'NEW',
      citizen: { contactId: citizens()[5].contactId },
    });
    expect(crmCalls()).toHaveLength(1);
    const b = await gql(asCitizen(5), CREATE, { input });
    expect(b.data.createCase.case.id).toBe(a.data.createCase.case.id);
    const other = await gql(asCitizen(6), CREATE, { input });
    expect(other.data.createCase.case.id).not.toBe(a.data.createCase.case.id);
    expect(other.data.createCase.case.citizen.contactId).toBe(citizens()[6].contactId);
  });

  test('createCase validation and access', async () => {
    const bad = await gql(asCitizen(5), CREATE, {
      input: { idempotencyKey: 'short', subject: '  ' },
    });
    expect(bad.data.createCase).toEqual({
      case: null,
      userErrors: [
        {
          code: 'SUBJECT_REQUIRED',
          field: ['input', 'subject'],
          message: 'Please describe the request in the subject.',
        },
        INVALID_KEY,
      ],
    });
    const tooLong = await gql(asCitizen(5), CREATE, {
      input: { idempotencyKey: 'k'.repeat(81), subject: 's'.repeat(256) },
    });
    expect(tooLong.data.createCase.userErrors).toEqual([
      {
        code: 'SUBJECT_TOO_LONG',
        field: ['input', 'subject'],
        message: 'The subject can be at most 255 characters.',
      },
      INVALID_KEY,
    ]);
    const forbidden = await gql(asCitizen(5), CREATE, {
      input: { idempotencyKey: 'forbidden-01', subject: 'x', contactId: citizens()[6].contactId },
    });
    expect(forbidden.data.createCase.userErrors).toEqual([
      {
        code: 'FORBIDDEN',
        field: ['input', 'contactId'],
        message: 'You can only open cases for yourself.',
      },
    ]);
    const agentNoContact = await gql(agent, CREATE, {
      input: { idempotencyKey: 'agent-key-01', subject: 'x' },
    });
    expect(agentNoContact.data.createCase.userErrors).toEqual([
      {
        code: 'CONTACT_REQUIRED',
        field: ['input', 'contactId'],
        message: 'Agents must give the contact id of the citizen.',
      },
    ]);
    const notAContact = await gql(agent, CREATE, {
      input: { idempotencyKey: 'agent-key-02', subject: 'x', contactId: 'not-a-contact-id' },
    });
    expect(notAContact.data.createCase.userErrors).toEqual([
      {
        code: 'CONTACT_NOT_FOUND',
        field: ['input', 'contactId'],
        message: 'There is no citizen with this contact id.',
      },
    ]);
    const agentOk = await gql(agent, CREATE, {
      input: {
        idempotencyKey: 'agent-key-01',
        subject: 'x',
        contactId: citizens()[7].contactId,
        priority: 'HIGH',
      },
    });
    expect(agentOk.data.createCase.case.citizen.contactId).toBe(citizens()[7].contactId);
    // Priority goes in and comes back as the same enum (CRM stores the picklist value "High").
    expect(agentOk.data.createCase.case.priority).toBe('HIGH');
    expect(h.emu.core.sobjects.get('Case', agentOk.data.createCase.case.id)!.Priority).toBe('High');
    const anon = await gql({ kind: 'anonymous' }, CREATE, {
      input: { idempotencyKey: 'anon-key-01', subject: 'x' },
    });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(crmCalls()).toHaveLength(1);
  });

  test('addCaseComment retry adds once, body shows no marker; other citizens cannot comment', async () => {
    const created = await gql(asCitizen(8), CREATE, {
      input: { idempotencyKey: 'comment-case-1', subject: 'Streetlight' },
    });
    const caseId = created.data.createCase.case.id;
    const input = { caseId, body: 'Still dark tonight', idempotencyKey: 'comment-key-1' };
    const a = await gql(asCitizen(8), COMMENT, { input });
    expect(a.data.addCaseComment.userErrors).toEqual([]);
    expect(a.data.addCaseComment.comment.body).toBe('Still dark tonight');
    const b = await gql(asCitizen(8), COMMENT, { input });
    expect(b.data.addCaseComment.comment.id).toBe(a.data.addCaseComment.comment.id);
    expect(b.data.addCaseComment.case.comments).toEqual([
      { id: a.data.addCaseComment.comment.id, body: 'Still dark tonight' },
    ]);
    expect(emu().core.sobjects.findBy('CaseComment', 'ParentId', caseId)).toHaveLength(1);
    const other = await gql(asCitizen(9), COMMENT, {
      input: { ...input, idempotencyKey: 'comment-key-2' },
    });
    expect(other.data.addCaseComment).toEqual({
      comment: null,
      case: null,
      userErrors: [
        { code: 'NOT_FOUND', field: ['input', 'caseId'], message: 'There is no such case.' },
      ],
    });
    expect(emu().core.sobjects.findBy('CaseComment', 'ParentId', caseId)).toHaveLength(1);
  });

  test('addCaseComment validation: an empty body and a bad key, a body over the limit', async () => {
    // Validation answers before the case is looked up: no CRM call at all.
    const caseId = 'any-case-id';
    const empty = await gql(asCitizen(8), COMMENT, {
      input: { caseId, body: '   ', idempotencyKey: 'short' },
    });
    expect(empty.data.addCaseComment.userErrors).toEqual([
      { code: 'BODY_REQUIRED', field: ['input', 'body'], message: 'The comment cannot be empty.' },
      INVALID_KEY,
    ]);
    const long = await gql(asCitizen(8), COMMENT, {
      input: { caseId, body: 'x'.repeat(4001), idempotencyKey: 'long-body-key-1' },
    });
    expect(long.data.addCaseComment.userErrors).toEqual([
      {
        code: 'BODY_TOO_LONG',
        field: ['input', 'body'],
        message: expect.stringMatching(/^The comment can be at most \d+ characters\.$/),
      },
    ]);
    expect(crmCalls()).toHaveLength(0);
  });

  test('a key reused for another request is IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const first = await gql(asCitizen(10), CREATE, {
      input: { idempotencyKey: 'reused-key-001', subject: 'Graffiti' },
    });
    expect(first.data.createCase.userErrors).toEqual([]);
    const reused = IDEMPOTENCY_KEY_REUSED_ERROR;
    const cases = [...emu().core.sobjects.all('Case')].length;
    const other = await gql(asCitizen(10), CREATE, {
      input: { idempotencyKey: 'reused-key-001', subject: 'Broken bench' },
    });
    expect(other.data.createCase).toEqual({ case: null, userErrors: [reused] });
    expect([...emu().core.sobjects.all('Case')]).toHaveLength(cases);
    const caseId = first.data.createCase.case.id;
    const input = { caseId, body: 'First', idempotencyKey: 'reused-key-002' };
    expect((await gql(asCitizen(10), COMMENT, { input })).data.addCaseComment.userErrors).toEqual(
      [],
    );
    const again = await gql(asCitizen(10), COMMENT, { input: { ...input, body: 'Second' } });
    expect(again.data.addCaseComment).toEqual({ comment: null, case: null, userErrors: [reused] });
    expect(emu().core.sobjects.findBy('CaseComment', 'ParentId', caseId)).toHaveLength(1);
  });
});

describe('server options and config', () => {
  test('Origin and Priority come from CASE_ORIGIN and CASE_PRIORITY_VALUES; a value the org refuses is a userError', async () => {
    const CREATE = `mutation($input: CreateCaseInput!) { createCase(input: $input) { case { id priority } userErrors { code field message } } }`;
    // The org's Case picklists (describe): Origin Phone/Email/Web, Priority High/Medium/Low.
    await using phone = await startSubgraph('case', {
      ...h.env,
      CASE_ORIGIN: 'Phone',
      CASE_PRIORITY_VALUES: 'Low,Medium,High',
    });
    const made = await phone.gql(asCitizen(12), CREATE, {
      input: { idempotencyKey: 'picklist-key-01', subject: 'By phone', priority: 'HIGH' },
    });
    expect(made.body.data.createCase.userErrors).toEqual([]);
    const stored = h.emu.core.sobjects.get('Case', made.body.data.createCase.case.id)!;
    expect([stored.Origin, stored.Priority]).toEqual(['Phone', 'Low']);
    expect(made.body.data.createCase.case.priority).toBe('HIGH');

    // A value the org's restricted picklist does not have: refused by the org
    // (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST), answered as a typed userError.
    await using portal = await startSubgraph('case', { ...h.env, CASE_ORIGIN: 'Portal' });
    h.emu.log.reset();
    const refused = await portal.gql(asCitizen(12), CREATE, {
      input: { idempotencyKey: 'picklist-key-02', subject: 'By portal' },
    });
    expect(refused.body.errors).toBeUndefined();
    expect(refused.body.data.createCase).toEqual({
      case: null,
      userErrors: [
        {
          code: 'PICKLIST_VALUE_REFUSED',
          field: ['input'],
          message:
            'The case service cannot save this case: the organisation does not accept the value it sets for Origin.',
        },
      ],
    });
    // One Composite call; nothing was created.
    expect(crmCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /services/data/v62.0/composite',
    ]);
    expect(h.emu.core.sobjects.findBy('Case', 'Subject', 'By portal')).toEqual([]);
  });

  test('the status filter asks the org for the CASE_STATUS_VALUES names', async () => {
    const c = citizens().find((x) =>
      h.emu.core.sobjects
        .findBy('Case', 'ContactId', x.contactId)
        .some((r) => r.Status === 'Working'),
    )!;
    const Q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Citizen { cases(first: 50, status: [WORKING]) { totalCount edges { node { status } } } } } }`;
    const reps = [{ __typename: 'Citizen', contactId: c.contactId }];
    // An org whose open status is called "In Progress": the filter asks for it, not "Working".
    await using renamed = await startSubgraph('case', {
      ...h.env,
      CASE_STATUS_VALUES: 'New,In Progress,Escalated,Closed',
    });
    h.emu.log.reset();
    const res = await renamed.gql(agent, Q, { reps });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data._entities[0].cases.totalCount).toBe(0);
    const soql = crmCalls('/services/data/v62.0/query').map((x) => decodeURIComponent(x.query));
    expect(soql.join()).toContain("Status IN ('In Progress')");
    // The default names find the org's Working cases.
    const def = await gql(agent, Q, { reps });
    expect(def.data._entities[0].cases.totalCount).toBeGreaterThan(0);
    for (const e of def.data._entities[0].cases.edges) expect(e.node.status).toBe('WORKING');
  });

  test('the lock comes from the server options; it is keyed by a hash, never the raw key', async () => {
    const keys: string[] = [];
    const inner = new InMemoryKeyedLock();
    const lock: KeyedLock = {
      run: (key, fn) => {
        keys.push(key);
        return inner.run(key, fn);
      },
    };
    await using own = await startSubgraph('case', h.env, { deps: { lock } });
    const send = (query: string, variables: Record<string, unknown>) =>
      own.gql(asCitizen(11), query, variables);
    const created = await send(
      `mutation($input: CreateCaseInput!) { createCase(input: $input) { case { id } userErrors { code } } }`,
      { input: { idempotencyKey: 'lock-option-key-1', subject: 'Lock' } },
    );
    expect(created.body.data.createCase.userErrors).toEqual([]);
    const commented = await send(
      `mutation($input: AddCaseCommentInput!) { addCaseComment(input: $input) { comment { id } userErrors { code } } }`,
      {
        input: {
          caseId: created.body.data.createCase.case.id,
          body: 'Locked',
          idempotencyKey: 'lock-option-key-1',
        },
      },
    );
    expect(commented.body.data.addCaseComment.userErrors).toEqual([]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^case:createCase:[A-Za-z0-9_-]{43}$/);
    expect(keys[1]).toMatch(/^case:addCaseComment:[A-Za-z0-9_-]{43}$/);
    expect(keys.join()).not.toContain('lock-option-key-1');
    expect(inner.size).toBe(0);
  });

  test('the idempotency field names come from the environment and must be custom field names', () => {
    const base = { CRM_LOGIN_URL: 'http://127.0.0.1:1/crm', PRINCIPAL_SECRET: SECRET };
    expect(loadCaseConfig(base)).toMatchObject({
      caseIdempotencyKeyField: 'Idempotency_Key__c',
      caseIdempotencyFingerprintField: 'Idempotency_Fingerprint__c',
    });
    expect(
      loadCaseConfig({
        ...base,
        CASE_IDEMPOTENCY_KEY_FIELD: 'Portal_Key__c',
        CASE_IDEMPOTENCY_FINGERPRINT_FIELD: 'Portal_Request_Hash__c',
      }),
    ).toMatchObject({
      caseIdempotencyKeyField: 'Portal_Key__c',
      caseIdempotencyFingerprintField: 'Portal_Request_Hash__c',
    });
    expect(() => loadCaseConfig({ ...base, CASE_IDEMPOTENCY_KEY_FIELD: '../Id' })).toThrow(
      'CASE_IDEMPOTENCY_KEY_FIELD must be a custom field API name such as Idempotency_Key__c',
    );
  });
});
