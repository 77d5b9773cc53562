// The case subgraph's idempotent writes under attack and under stress, through the gateway:
// racing retries of one request, a key reused for another request, a retry after an agent's
// edit, and hostile ids that must never reach a CRM URL path or SOQL. Upstream calls and
// records are counted in the emulator (its call log and its sObject store).
import request from 'supertest';
import type { Principal } from '../../lib/principal.js';
import { sendAsGateway } from '../support/principals.js';
import { agentHeaders, gql as postRaw, loginAs } from '../client.js';
import { gql, startStack, TEST_PRINCIPAL_SECRET, type Stack } from '../harness.js';
import {
  AddCaseCommentDocument,
  CaseWithCitizenDocument,
  CreateCaseDocument,
} from '../../gql/graphql.js';
import { IDEMPOTENCY_KEY_REUSED_ERROR } from '../support/user-errors.js';

let stack: Stack;
type Citizen = Stack['emulator']['core']['world']['citizens'][number];
let A: Citizen;
let B: Citizen;
let asA: Record<string, string>;
let asAgent: Record<string, string>;

// createCase with the fields an agent's edit changes and whom the case is about (the canonical
// CreateCase selects only id, caseNumber, subject and status).
const CREATE_WITH_CITIZEN = /* GraphQL */ `
  mutation ($input: CreateCaseInput!) {
    createCase(input: $input) {
      case {
        id
        subject
        description
        priority
        status
        citizen {
          contactId
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
/** CRM REST calls (token endpoint calls excluded) since the last reset, as "METHOD path". */
const crmCalls = () =>
  stack.emulator.log
    .list({ family: 'crm', path: '/services/data/' })
    .map((c) => `${c.method} ${c.path.replace(/^\/services\/data\/v[\d.]+/, '')}`);

const casesOf = (contactId: string) =>
  stack.emulator.core.sobjects.findBy('Case', 'ContactId', contactId);
const commentsOf = (caseId: string) =>
  stack.emulator.core.sobjects.findBy('CaseComment', 'ParentId', caseId);

async function newCase(headers: Record<string, string>, key: string, subject = 'Broken bench') {
  const res = await gql(stack, headers, CreateCaseDocument, {
    input: { idempotencyKey: key, subject },
  });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.createCase.userErrors).toEqual([]);
  return res.body.data!.createCase.case!.id;
}

/** What an agent console does next to the graph: edit the case in Salesforce directly. */
async function agentEditsCase(id: string, fields: Record<string, unknown>) {
  const res = await request(stack.env.CRM_LOGIN_URL!)
    .patch(`/services/data/v62.0/sobjects/Case/${id}`)
    .set(asAgent)
    .send(fields);
  expect(res.status).toBe(204);
}

beforeAll(async () => {
  stack = await startStack({ citizens: 200 });
  const { world } = stack.emulator.core;
  [A, B] = [world.citizens[3], world.citizens[4]];
  asA = await loginAs(stack, A.username, world.citizenPassword);
  asAgent = await agentHeaders(stack);
});
afterAll(() => stack.stop());
beforeEach(() => stack.emulator.log.reset());

/** An answer as a whole: its HTTP status and its body (errors, extensions and all). */
const whole = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });

describe('racing retries of one request', () => {
  test('ten concurrent identical createCase: one case, ten answers with its id, no errors', async () => {
    const before = casesOf(A.contactId).length;
    const input = { idempotencyKey: 'race-case-000001', subject: 'Flooded underpass' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => gql(stack, asA, CreateCaseDocument, { input })),
    );
    const created = casesOf(A.contactId).filter((c) => c.Subject === 'Flooded underpass');
    expect(created).toHaveLength(1);
    expect(casesOf(A.contactId).length).toBe(before + 1);
    for (const a of answers)
      expect(whole(a)).toEqual({
        status: 200,
        body: {
          data: {
            createCase: {
              case: {
                id: created[0].Id,
                caseNumber: created[0].CaseNumber,
                subject: 'Flooded underpass',
                status: 'NEW',
              },
              userErrors: [],
            },
          },
        },
      });
  });

  test('ten concurrent identical createCase by an agent: one case, ten answers with its id', async () => {
    const before = casesOf(B.contactId).length;
    const input = {
      idempotencyKey: 'race-agent-case-01',
      subject: 'Graffiti on the library',
      contactId: B.contactId,
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => gql(stack, asAgent, CreateCaseDocument, { input })),
    );
    const created = casesOf(B.contactId).filter((c) => c.Subject === 'Graffiti on the library');
    expect(created).toHaveLength(1);
    expect(casesOf(B.contactId).length).toBe(before + 1);
    for (const a of answers) {
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data?.createCase.userErrors).toEqual([]);
      expect(a.body.data?.createCase.case?.id).toBe(created[0].Id);
    }
  });

  test('ten concurrent identical addCaseComment: one comment, ten answers with its id, no errors', async () => {
    const caseId = await newCase(asA, 'race-comment-case-1');
    const input = { caseId, body: 'Water is knee deep now', idempotencyKey: 'race-comment-0001' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => gql(stack, asA, AddCaseCommentDocument, { input })),
    );
    const comments = commentsOf(caseId);
    expect(comments).toHaveLength(1);
    for (const a of answers)
      expect(whole(a)).toEqual({
        status: 200,
        body: {
          data: {
            addCaseComment: {
              comment: { id: comments[0].Id, body: 'Water is knee deep now' },
              userErrors: [],
            },
          },
        },
      });
  });
});

describe('a key is bound to the request it was first used for', () => {
  const REUSED = IDEMPOTENCY_KEY_REUSED_ERROR;
  /** The whole answer to a refused createCase / addCaseComment: 200, no case, the one user error. */
  const CASE_REFUSED = {
    status: 200,
    body: { data: { createCase: { case: null, userErrors: [REUSED] } } },
  };
  const COMMENT_REFUSED = {
    status: 200,
    body: { data: { addCaseComment: { comment: null, userErrors: [REUSED] } } },
  };

  test('the refusal as a whole (the shape clients switch on)', async () => {
    const input = { idempotencyKey: 'reuse-case-shape', subject: 'Leaning lamp post' };
    const first = await gql(stack, asA, CreateCaseDocument, { input });
    expect(first.body.data?.createCase.userErrors).toEqual([]);
    const reused = await gql(stack, asA, CreateCaseDocument, {
      input: { ...input, subject: 'Another lamp post' },
    });
    expect(whole(reused)).toEqual(CASE_REFUSED);
  });

  test.each([
    ['another subject', { subject: 'Something else entirely' }],
    ['another description', { description: 'A different story' }],
    ['another priority', { priority: 'HIGH' as const }],
  ])('createCase with the same key and %s changes nothing and is refused', async (_n, change) => {
    const key = `reuse-case-${Object.keys(change)[0]}`;
    const original = { idempotencyKey: key, subject: 'Pothole on 5th', description: 'Deep one' };
    const first = await gql(stack, asA, CreateCaseDocument, { input: original });
    expect(first.body.data?.createCase.userErrors).toEqual([]);
    const id = first.body.data!.createCase.case!.id;
    const stored = { ...stack.emulator.core.sobjects.get('Case', id)! };
    const count = casesOf(A.contactId).length;

    const reused = await gql(stack, asA, CreateCaseDocument, { input: { ...original, ...change } });
    expect(whole(reused)).toEqual(CASE_REFUSED);
    expect(stack.emulator.core.sobjects.get('Case', id)).toEqual(stored);
    expect(casesOf(A.contactId).length).toBe(count);
  });

  test('createCase by an agent with the same key for another contact is refused', async () => {
    const input = {
      idempotencyKey: 'reuse-agent-contact',
      subject: 'Noise',
      contactId: A.contactId,
    };
    const first = await gql(stack, asAgent, CreateCaseDocument, { input });
    expect(first.body.data?.createCase.userErrors).toEqual([]);
    const countB = casesOf(B.contactId).length;
    const reused = await gql(stack, asAgent, CreateCaseDocument, {
      input: { ...input, contactId: B.contactId },
    });
    expect(whole(reused)).toEqual(CASE_REFUSED);
    expect(casesOf(B.contactId).length).toBe(countB);
  });

  test('addCaseComment with the same key and another body changes nothing and is refused', async () => {
    const caseId = await newCase(asA, 'reuse-comment-case-1');
    const input = { caseId, body: 'First words', idempotencyKey: 'reuse-comment-body' };
    const first = await gql(stack, asA, AddCaseCommentDocument, { input });
    expect(first.body.data?.addCaseComment.userErrors).toEqual([]);
    const stored = commentsOf(caseId).map((c) => ({ ...c }));
    expect(stored).toHaveLength(1);

    const reused = await gql(stack, asA, AddCaseCommentDocument, {
      input: { ...input, body: 'Other words' },
    });
    expect(whole(reused)).toEqual(COMMENT_REFUSED);
    expect(commentsOf(caseId)).toEqual(stored);
  });

  test('addCaseComment with the same key on another case changes nothing and is refused', async () => {
    const first = await newCase(asA, 'reuse-comment-case-2');
    const second = await newCase(asA, 'reuse-comment-case-3');
    const input = { caseId: first, body: 'Same words', idempotencyKey: 'reuse-comment-case' };
    const a = await gql(stack, asA, AddCaseCommentDocument, { input });
    expect(a.body.data?.addCaseComment.userErrors).toEqual([]);

    const reused = await gql(stack, asA, AddCaseCommentDocument, {
      input: { ...input, caseId: second },
    });
    expect(whole(reused)).toEqual(COMMENT_REFUSED);
    expect(commentsOf(second)).toEqual([]);
    expect(commentsOf(first)).toHaveLength(1);
  });

  test('the same key used by another citizen is another request (keys are per principal)', async () => {
    const asB = await loginAs(stack, B.username, stack.emulator.core.world.citizenPassword);
    const input = { idempotencyKey: 'shared-key-between-two', subject: 'Mine' };
    const a = await postRaw(stack, CREATE_WITH_CITIZEN, { input }, asA);
    const b = await postRaw(
      stack,
      CREATE_WITH_CITIZEN,
      { input: { ...input, subject: 'Theirs' } },
      asB,
    );
    expect(a.body.data.createCase.userErrors).toEqual([]);
    expect(b.body.data.createCase.userErrors).toEqual([]);
    expect(b.body.data.createCase.case.id).not.toBe(a.body.data.createCase.case.id);
    expect(b.body.data.createCase.case.citizen).toEqual({ contactId: B.contactId });
  });
});

describe('an identical retry answers the case as it is now', () => {
  test("createCase retried after an agent escalated the case keeps the agent's edits", async () => {
    const input = {
      idempotencyKey: 'retry-after-escalation',
      subject: 'Fallen tree',
      description: 'Blocking the road',
      priority: 'LOW',
    };
    const first = await postRaw(stack, CREATE_WITH_CITIZEN, { input }, asA);
    expect(first.body.data.createCase.userErrors).toEqual([]);
    const id = first.body.data.createCase.case.id as string;
    await agentEditsCase(id, {
      Subject: 'Fallen tree (crew dispatched)',
      Priority: 'High',
      Status: 'Escalated',
    });
    const stored = { ...stack.emulator.core.sobjects.get('Case', id)! };

    stack.emulator.log.reset();
    const retry = await postRaw(stack, CREATE_WITH_CITIZEN, { input }, asA);
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data.createCase).toEqual({
      case: {
        id,
        subject: 'Fallen tree (crew dispatched)',
        description: 'Blocking the road',
        priority: 'HIGH',
        status: 'ESCALATED',
        citizen: { contactId: A.contactId },
      },
      userErrors: [],
    });
    expect(stack.emulator.core.sobjects.get('Case', id)).toEqual(stored);
    expect(crmCalls()).toEqual(['POST /composite']);
  });

  test('upstream cost: createCase first 1 call, identical retry 1 call; addCaseComment first 2, retry 1', async () => {
    const input = { idempotencyKey: 'cost-case-00000001', subject: 'Cost check' };
    await gql(stack, asA, CreateCaseDocument, { input });
    expect(crmCalls()).toEqual(['POST /composite']);
    stack.emulator.log.reset();
    const again = await gql(stack, asA, CreateCaseDocument, { input });
    expect(crmCalls()).toEqual(['POST /composite']);
    const caseId = again.body.data!.createCase.case!.id;

    stack.emulator.log.reset();
    const comment = { caseId, body: 'Cost of a comment', idempotencyKey: 'cost-comment-0001' };
    const c1 = await gql(stack, asA, AddCaseCommentDocument, { input: comment });
    expect(c1.body.data?.addCaseComment.userErrors).toEqual([]);
    expect(crmCalls()).toEqual(['POST /composite', 'POST /composite']);
    stack.emulator.log.reset();
    const c2 = await gql(stack, asA, AddCaseCommentDocument, { input: comment });
    expect(c2.body.data?.addCaseComment.comment?.id).toBe(c1.body.data?.addCaseComment.comment?.id);
    expect(crmCalls()).toEqual(['POST /composite']);
  });
});

describe('hostile ids never reach a CRM path or SOQL', () => {
  const HOSTILE = [
    '..',
    '../query',
    '500Hu0000000001/../../query',
    '500Hu000000001%2F',
    '500Hu0000000%2F..',
    '500Hu0000000001?fields=Id',
    '500Hu0000000001,500Hu0000000002',
    "500Hu000000000'1",
    '500Hu0000000001AAA/',
    ' 500Hu0000000001',
  ];

  test.each(HOSTILE)('case(id: %j) is null with no CRM call', async (id) => {
    const res = await gql(stack, asAgent, CaseWithCitizenDocument, { id });
    expect(whole(res)).toEqual({ status: 200, body: { data: { case: null } } });
    expect(crmCalls()).toEqual([]);
  });

  test('ids of the wrong object or with a wrong case-safe suffix are null with no CRM call', async () => {
    const real = casesOf(A.contactId)[0].Id;
    const wrongSuffix = real.slice(0, 15) + (real.slice(15) === 'AAA' ? 'AAB' : 'AAA');
    for (const id of [A.contactId, wrongSuffix, `003${real.slice(3)}`]) {
      const { body } = await gql(stack, asAgent, CaseWithCitizenDocument, { id });
      expect(body).toEqual({ data: { case: null } });
    }
    expect(crmCalls()).toEqual([]);
  });

  test('a 15-character case id still works (control)', async () => {
    const real = casesOf(A.contactId)[0].Id;
    const { body } = await gql(stack, asAgent, CaseWithCitizenDocument, { id: real.slice(0, 15) });
    expect(body.data?.case?.id).toBe(real);
  });

  test.each(HOSTILE)(
    'addCaseComment on caseId %j is NOT_FOUND with no CRM call',
    async (caseId) => {
      const res = await gql(stack, asAgent, AddCaseCommentDocument, {
        input: { caseId, body: 'hello', idempotencyKey: 'hostile-comment-01' },
      });
      expect(whole(res)).toEqual({
        status: 200,
        body: {
          data: {
            addCaseComment: {
              comment: null,
              userErrors: [
                {
                  code: 'NOT_FOUND',
                  field: ['input', 'caseId'],
                  message: 'There is no such case.',
                },
              ],
            },
          },
        },
      });
      expect(crmCalls()).toEqual([]);
    },
  );

  test.each([
    '../Contact',
    '003Hu0000000001/..',
    '003%2F..',
    "003Hu000000000'",
    '003Hu0000000001,x',
  ])(
    'createCase by an agent for contactId %j is CONTACT_NOT_FOUND with no CRM call',
    async (contactId) => {
      const res = await gql(stack, asAgent, CreateCaseDocument, {
        input: { idempotencyKey: 'hostile-contact-01', subject: 'x', contactId },
      });
      expect(whole(res)).toEqual({
        status: 200,
        body: {
          data: {
            createCase: {
              case: null,
              userErrors: [
                {
                  code: 'CONTACT_NOT_FOUND',
                  field: ['input', 'contactId'],
                  message: 'There is no citizen with this contact id.',
                },
              ],
            },
          },
        },
      });
      expect(crmCalls()).toEqual([]);
    },
  );

  test('_entities with hostile Case ids and Citizen contact ids: nulls and empty lists, no CRM call', async () => {
    const agent: Principal = { kind: 'agent', clientId: 'attack-test' };
    const res = await sendAsGateway(
      request(stack.subgraphUrls.case.replace(/\/graphql$/, '')).post('/graphql'),
      agent,
      'case',
      {
        query: `query($reps: [_Any!]!) { _entities(representations: $reps) {
          ... on Case { id } ... on Citizen { contactId cases { totalCount } } } }`,
        variables: {
          reps: [
            { __typename: 'Case', id: '../query' },
            { __typename: 'Case', id: '500Hu0000000001%2F' },
            { __typename: 'Citizen', contactId: "003Hu0000000001' OR Id != '" },
            { __typename: 'Citizen', contactId: '003Hu0000000001/..' },
          ],
        },
      },
      { secret: TEST_PRINCIPAL_SECRET },
    );
    expect(res.body).toEqual({
      data: {
        _entities: [
          null,
          null,
          { contactId: "003Hu0000000001' OR Id != '", cases: { totalCount: 0 } },
          { contactId: '003Hu0000000001/..', cases: { totalCount: 0 } },
        ],
      },
    });
    expect(crmCalls()).toEqual([]);
  });
});
