// The principal attribute maps: Identity's custom attributes → the principal's fields
// (gateway/principal-resolver.ts, names from IDENTITY_ATTR_*), and the principal's fields through
// signing and verifying (lib/principal.ts) into what a subgraph decides access on. Each field gets
// a distinct value, so two fields swapped anywhere are red.
import {
  PrincipalResolver,
  DEFAULT_IDENTITY_ATTRIBUTES,
} from '../../gateway/principal-resolver.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import {
  maySeeCitizen,
  signPrincipal,
  verifyPrincipalClaims,
  type Principal,
} from '../../lib/principal.js';

function resolver(userinfo: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const fetch = (async (url: string) =>
    new Response(
      JSON.stringify(
        url.endsWith('/userinfo')
          ? userinfo
          : {
              active: true,
              client_id: 'agent-app',
              exp: Math.floor(Date.now() / 1000) + 600,
            },
      ),
      { status: 200, headers: { 'content-type': 'application/json' } },
    )) as typeof globalThis.fetch;
  return new PrincipalResolver({
    identitySiteUrl: 'http://identity.test/site',
    agentClientIds: ['agent-app'],
    cacheSize: 10,
    cacheMaxSeconds: 60,
    timeoutMs: 1000,
    introspection: { clientId: 'gateway-app', clientSecret: 'gateway-secret' },
    fetch,
    ...extra,
  });
}

const CITIZEN_ATTRIBUTES = {
  contactId: '003C',
  unifiedIndividualId: 'U-1',
  commerceCustomerId: 'CC-1',
  commerceLogin: 'ada@shop.test',
};

describe('custom attributes → principal', () => {
  test('the default names, each to its own field', async () => {
    expect(DEFAULT_IDENTITY_ATTRIBUTES).toEqual({
      contactId: 'contactId',
      unifiedId: 'unifiedIndividualId',
      commerceCustomerId: 'commerceCustomerId',
      commerceLogin: 'commerceLogin',
      isAgent: 'isAgent',
    });
    const p = await resolver({
      user_id: '005U',
      preferred_username: 'ada@example.org',
      custom_attributes: CITIZEN_ATTRIBUTES,
    }).resolve('Bearer t');
    expect(p).toEqual({
      kind: 'citizen',
      userId: '005U',
      username: 'ada@example.org',
      contactId: '003C',
      unifiedId: 'U-1',
      commerceCustomerId: 'CC-1',
      commerceLogin: 'ada@shop.test',
    });
  });

  test('every IDENTITY_ATTR_* names its own field', async () => {
    const { identityAttributes } = loadGatewayConfig({
      IDENTITY_ATTR_CONTACT_ID: 'A_Contact',
      IDENTITY_ATTR_UNIFIED_ID: 'A_Unified',
      IDENTITY_ATTR_COMMERCE_CUSTOMER_ID: 'A_Customer',
      IDENTITY_ATTR_COMMERCE_LOGIN: 'A_Login',
      IDENTITY_ATTR_IS_AGENT: 'A_Agent',
    });
    expect(identityAttributes).toEqual({
      contactId: 'A_Contact',
      unifiedId: 'A_Unified',
      commerceCustomerId: 'A_Customer',
      commerceLogin: 'A_Login',
      isAgent: 'A_Agent',
    });
    const p = await resolver(
      {
        user_id: '005U',
        preferred_username: 'ada@example.org',
        custom_attributes: {
          A_Contact: '003C',
          A_Unified: 'U-1',
          A_Customer: 'CC-1',
          A_Login: 'ada@shop.test',
        },
      },
      { attributes: identityAttributes },
    ).resolve('Bearer t');
    expect(p).toMatchObject({
      contactId: '003C',
      unifiedId: 'U-1',
      commerceCustomerId: 'CC-1',
      commerceLogin: 'ada@shop.test',
    });
  });

  test.each([
    [{ isAgent: 'true', contactId: '003C' }, false, { kind: 'agent', userId: '005U' }],
    [{ isAgent: 'false', contactId: '003C' }, false, { kind: 'citizen', contactId: '003C' }],
    [{ isAgent: 'TRUE' }, false, { kind: 'anonymous' }],
    [{ unifiedIndividualId: 'U-1' }, false, { kind: 'anonymous' }],
    [{ contactId: '' }, false, { kind: 'anonymous' }],
    [{}, true, { kind: 'agent', clientId: 'agent-app' }],
  ])('attributes %j (integration user %s) → %j', async (custom, integration, expected) => {
    const p = await resolver({
      user_id: '005U',
      preferred_username: 'u@example.org',
      is_salesforce_integration_user: integration,
      custom_attributes: custom,
    }).resolve('Bearer t');
    expect(p).toMatchObject(expected);
  });

  test('an integration client not in AGENT_CLIENT_IDS is anonymous', async () => {
    const p = await resolver(
      { user_id: '005U', is_salesforce_integration_user: true },
      { agentClientIds: ['another-app'] },
    ).resolve('Bearer t');
    expect(p).toEqual({ kind: 'anonymous' });
  });
});

describe('principal → signed → verified → access', () => {
  const citizen: Principal = {
    kind: 'citizen',
    userId: '005U',
    username: 'ada@example.org',
    contactId: '003C',
    unifiedId: 'U-1',
    commerceCustomerId: 'CC-1',
    commerceLogin: 'ada@shop.test',
  };

  test('every field survives signing', () => {
    for (const p of [
      citizen,
      { kind: 'agent', userId: '005A', username: 'agent@example.org', clientId: 'app' },
      { kind: 'anonymous' },
    ] as Principal[]) {
      const token = signPrincipal(p, 's3cret', { audience: 'case', body: '{}' });
      expect(verifyPrincipalClaims(token, 's3cret', { audience: 'case' })?.principal).toEqual(p);
    }
  });

  test.each([
    [{ contactId: '003C' }, true],
    [{ unifiedId: 'U-1' }, true],
    [{ commerceCustomerId: 'CC-1' }, true],
    [{ contactId: '003C', unifiedId: 'U-1', commerceCustomerId: 'CC-1' }, true],
    [{ contactId: 'U-1' }, false],
    [{ unifiedId: '003C' }, false],
    [{ commerceCustomerId: 'U-1' }, false],
    [{ contactId: '003C', unifiedId: 'U-2' }, false],
    [{ contactId: '003C', commerceCustomerId: 'CC-2' }, false],
    [{ contactId: null, unifiedId: '', commerceCustomerId: undefined }, false],
    [{}, false],
  ])('a citizen may see %j: %s', (keys, expected) => {
    expect(maySeeCitizen(citizen, keys)).toBe(expected);
  });

  test('an agent sees any named citizen, an anonymous caller none, a nameless key nobody', () => {
    const agent: Principal = { kind: 'agent', userId: '005A' };
    expect(maySeeCitizen(agent, { contactId: '003X' })).toBe(true);
    expect(maySeeCitizen(agent, {})).toBe(false);
    expect(maySeeCitizen({ kind: 'anonymous' }, { contactId: '003C' })).toBe(false);
    const partial: Principal = {
      kind: 'citizen',
      userId: '005U',
      username: 'u',
      contactId: '003C',
    };
    expect(maySeeCitizen(partial, { unifiedId: 'U-1' })).toBe(false);
  });
});
