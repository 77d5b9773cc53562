// The cross-system identity of every seeded person. Each API family seeds its own records from
// this one list, so a citizen's Contact, unified individual, Commerce customer and Identity user
// always agree, on every machine, for any size.
import { createRandom, sfId } from './ids.js';

export interface CitizenIdentity {
  index: number;
  /** Data Cloud unified individual id (ssot__Id__c of UnifiedssotIndividualIr1__dlm). */
  unifiedId: string;
  /** CRM Contact id (003…). */
  contactId: string;
  /** CRM User id (005…) of the citizen's Experience Cloud login. */
  userId: string;
  /** B2C Commerce customer id (26 characters) and customer number. */
  commerceCustomerId: string;
  customerNo: string;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  phone: string;
  birthDate: string;
  street: string;
  city: string;
  stateCode: string;
  postalCode: string;
  countryCode: string;
  /** When the person first appeared in any system. */
  createdAt: Date;
}

export interface AgentIdentity {
  userId: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  password: string;
}

export interface World {
  seed: number;
  orgId: string;
  /** Reference "now" so that every date in the seed is reproducible. */
  now: Date;
  citizens: CitizenIdentity[];
  agents: AgentIdentity[];
  /** The demo password every seeded citizen logs in with. */
  citizenPassword: string;
  /** The integration client (core OAuth client credentials, SLAS private client). */
  integration: {
    clientId: string;
    clientSecret: string;
    username: string;
    userId: string;
    /**
     * The connected app may introspect tokens issued to OTHER apps (the portal's), as its
     * "Introspect All Tokens" setting allows; without it introspection sees only its own.
     */
    introspectAllTokens: boolean;
    /**
     * The SLAS private client's scopes (SLAS Admin UI → Clients): every access token it gets
     * carries them in `scp`, and each Shopper API endpoint needs its own (emulator/scapi/scopes.ts).
     */
    slasScopes: string[];
  };
  /** The public Experience Cloud connected app used by the headless login flow. */
  portalApp: {
    clientId: string;
    redirectUri: string;
    /** "Enable Refresh Token Rotation": every refresh answers a new refresh token; the old one is spent. */
    rotateRefreshTokens: boolean;
    /**
     * The app's Selected OAuth Scopes. A token gets the requested ones the app has (all of them
     * when none is requested); userinfo needs an identity scope among them (openid, …).
     */
    scopes: string[];
  };
}

export interface WorldOptions {
  citizens?: number;
  seed?: number;
}

export const DEFAULT_CITIZENS = 3000;

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Dorothy',
  'Mary',
  'John',
  'Linus',
  'Margaret',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Radia',
  'Tim',
  'Hedy',
  'Claude',
  'Shafi',
  'Leslie',
  'Ken',
  'Sophie',
  'Jean',
  'Annie',
  'Carlos',
  'Lucia',
  'Mateo',
  'Priya',
  'Arjun',
  'Mei',
  'Hiroshi',
  'Amara',
  'Kwame',
  'Fatima',
  'Omar',
  'Elena',
  'Ivan',
  'Noah',
  'Olivia',
  'Liam',
  'Emma',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Vaughan',
  'Jackson',
  'Backus',
  'Torvalds',
  'Hamilton',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'Shannon',
  'Goldwasser',
  'Lamport',
  'Thompson',
  'Wilson',
  'Bartik',
  'Easley',
  'Garcia',
  'Fernandez',
  'Rossi',
  'Patel',
  'Sharma',
  'Chen',
  'Tanaka',
  'Okafor',
  'Mensah',
  'Haddad',
  'Nasser',
  'Petrova',
  'Ivanov',
  'Smith',
  "O'Brien",
  'Nguyen',
  'Kowalski',
];
const STREETS = [
  'Main St',
  'Oak Ave',
  'Maple Dr',
  'Cedar Ln',
  'Elm St',
  'Pine Rd',
  'Lakeview Blvd',
  'Civic Center Plaza',
  'River Rd',
  'Hillcrest Ave',
];
const CITIES: Array<[string, string, string]> = [
  ['Springfield', 'IL', '627'],
  ['Madison', 'WI', '537'],
  ['Salem', 'OR', '973'],
  ['Albany', 'NY', '122'],
  ['Austin', 'TX', '787'],
  ['Denver', 'CO', '802'],
  ['Raleigh', 'NC', '276'],
  ['Boise', 'ID', '837'],
];

/** Builds the world. 100 000 citizens take well under a second here; the families add the rest. */
export function generateWorld(options: WorldOptions = {}): World {
  const seed = options.seed ?? 360;
  const count = options.citizens ?? DEFAULT_CITIZENS;
  const rnd = createRandom(seed);
  const now = new Date(Date.UTC(2026, 10, 1, 9, 0, 0));
  const citizens: CitizenIdentity[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const firstName = FIRST[rnd.int(0, FIRST.length - 1)];
    const lastName = LAST[rnd.int(0, LAST.length - 1)];
    const local = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
    const email = `${local}.${i + 1}@example.org`;
    const [city, stateCode, zip3] = CITIES[rnd.int(0, CITIES.length - 1)];
    const created = new Date(
      now.getTime() - rnd.int(30, 3 * 365) * 86_400_000 - rnd.int(0, 86_399) * 1000,
    );
    citizens[i] = {
      index: i,
      unifiedId: `${rnd.hex(8)}-${rnd.hex(4)}-4${rnd.hex(3)}-a${rnd.hex(3)}-${rnd.hex(12)}`,
      contactId: sfId('003', 1000 + i),
      userId: sfId('005', 1000 + i),
      commerceCustomerId: `ab${rnd.letters(24)}`,
      customerNo: String(10000 + i).padStart(8, '0'),
      firstName,
      lastName,
      email,
      username: email,
      phone: `+1555${String(rnd.int(0, 9999999)).padStart(7, '0')}`,
      birthDate: `${rnd.int(1940, 2005)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
      street: `${rnd.int(1, 9999)} ${STREETS[rnd.int(0, STREETS.length - 1)]}`,
      city,
      stateCode,
      postalCode: `${zip3}${String(rnd.int(0, 99)).padStart(2, '0')}`,
      countryCode: 'US',
      createdAt: created,
    };
  }
  const agents: AgentIdentity[] = [
    ['Sam', 'Rivera'],
    ['Jordan', 'Lee'],
    ['Alex', 'Morgan'],
  ].map(([firstName, lastName], i) => ({
    userId: sfId('005', 10 + i),
    username: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@agency.example.gov`,
    firstName,
    lastName,
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@agency.example.gov`,
    password: 'Agent!Demo2026',
  }));
  return {
    seed,
    orgId: sfId('00D', 1),
    now,
    citizens,
    agents,
    citizenPassword: 'Citizen!Demo2026',
    integration: {
      clientId: '3MVG9C360IntegrationClientDemoKey',
      clientSecret: 'c360-integration-secret',
      username: 'integration@agency.example.gov',
      userId: sfId('005', 2),
      introspectAllTokens: true,
      slasScopes: [
        'sfcc.shopper-products',
        'sfcc.shopper-product-search',
        'sfcc.shopper-myaccount.rw',
        'sfcc.shopper-myaccount.baskets',
        'sfcc.shopper-myaccount.orders',
        'sfcc.shopper-baskets-orders.rw',
        'sfcc.ts_ext_on_behalf_of',
      ],
    },
    portalApp: {
      clientId: '3MVG9C360CitizenPortalDemoKey',
      redirectUri: 'http://localhost:4000/callback',
      rotateRefreshTokens: true,
      scopes: ['api', 'refresh_token', 'openid'],
    },
  };
}
