// npm run org:check against the emulator: it passes on the org the emulator plays, fails with a
// precise line and exit code 1 when a prerequisite is removed (a Case field deleted from the
// emulator's metadata, a wrong name in the environment), and never writes.
import { spawn } from 'node:child_process';
import { OBJECTS, type FieldDef } from '../emulator/crm/metadata.js';
import { runOrgCheck, type OrgCheckReport } from '../scripts/org-check/checks.js';
import { formatReport } from '../scripts/org-check/report.js';
import { siteAuthSettings } from '../emulator/identity/headless.js';
import { startStack, type Stack } from './harness.js';
import { permissionSetGranting } from '../emulator/crm/permissions.js';
import { scapiStore } from '../emulator/scapi/store.js';

const ROOT = new URL('../', import.meta.url).pathname;

const ALL_CHECKS = [
  'config.load',
  'crm.token',
  'crm.case.object',
  'crm.case.keyField',
  'crm.case.fingerprintField',
  'crm.case.picklists',
  'crm.caseCommentRequest',
  'crm.oauthToken',
  'crm.agentLicence',
  'crm.query.Case',
  'crm.query.CaseComment',
  'crm.query.Contact',
  'crm.query.User',
  'crm.query.TwoFactorMethodsInfo',
  'crm.query.OauthToken',
  'pubsub.topic.case',
  'pubsub.topic.comment',
  'datacloud.exchange',
  'datacloud.dmo.unifiedIndividual',
  'datacloud.dmo.individualLink',
  'datacloud.dmo.contactPointEmail',
  'datacloud.dmo.contactPointPhone',
  'datacloud.dmo.contactPointAddress',
  'datacloud.dmo.calculatedInsight',
  'datacloud.dmo.segmentMembership',
  'datacloud.dmo.partyIdentification',
  'datacloud.source.crm',
  'datacloud.source.commerce',
  'datacloud.partyIdentificationType',
  'datacloud.dataGraph',
  'datacloud.segments',
  'scapi.guest',
  'scapi.scopes',
  'scapi.site',
  'scapi.paymentMethod',
  'scapi.tsob',
  'identity.site',
  'identity.introspect',
  'identity.headlessProtection',
  'identity.headlessScopes',
];

/** `npx tsx scripts/org-check.ts` with only PATH, HOME and `env`: its exit code and output. */
function orgCheckProcess(env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npx', ['--no', 'tsx', 'scripts/org-check.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const failed = (r: OrgCheckReport) => r.results.filter((c) => c.status !== 'pass').map((c) => c.id);

/** Replaces a Case field of the emulator's metadata (undefined: removes it) until `restore()`. */
function changeCaseField(name: string, change: (f: FieldDef) => FieldDef | undefined) {
  const def = OBJECTS.get('Case')!;
  const original = def.fields.find((f) => f.name === name)!;
  const index = def.fields.indexOf(original);
  const next = change(original);
  if (next) {
    def.fields[index] = next;
    def.byLower.set(name.toLowerCase(), next);
  } else {
    def.fields.splice(index, 1);
    def.byLower.delete(name.toLowerCase());
  }
  return () => {
    if (next) def.fields[index] = original;
    else def.fields.splice(index, 0, original);
    def.byLower.set(name.toLowerCase(), original);
  };
}

let stack: Stack;
beforeAll(async () => {
  // live: the emulator's Pub/Sub API too (the pubsub.* checks ask it for the topics).
  stack = await startStack({ citizens: 50, live: {} });
});
afterAll(() => stack.stop());

describe('npm run org:check on the emulator', () => {
  test('every check passes, as a function', async () => {
    stack.emulator.log.reset();
    const report = await runOrgCheck(stack.env);
    expect(report.results.map((r) => r.id)).toEqual(ALL_CHECKS);
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(formatReport(report).split('\n').at(-1)).toBe(
      '40 passed, 0 failed, 0 not checked — the org meets the contract',
    );
  });

  test('it only reads: GETs, and POSTs to token, query and introspection endpoints — and one guest basket, deleted', async () => {
    stack.emulator.log.reset();
    await runOrgCheck(stack.env);
    const calls = stack.emulator.log.list();
    const writes = calls
      .filter((c) => c.method !== 'GET')
      .map(
        (c) => `${c.family} ${c.method} ${c.path.replace(/\/baskets\/[^/?]+/, '/baskets/{id}')}`,
      );
    expect([...new Set(writes)].sort()).toEqual([
      'crm POST /services/oauth2/token',
      'datacloud POST /api/v2/query',
      'datacloud POST /services/a360/token',
      'identity POST /services/oauth2/introspect',
      // scapi.paymentMethod: getPaymentMethodsForBasket needs a basket; the guest's is removed.
      'scapi DELETE /checkout/shopper-baskets/v1/organizations/f_ecom_zzxy_prd/baskets/{id}',
      'scapi POST /checkout/shopper-baskets/v1/organizations/f_ecom_zzxy_prd/baskets',
      'scapi POST /shopper/auth/v1/organizations/f_ecom_zzxy_prd/oauth2/token',
      'scapi POST /shopper/auth/v1/organizations/f_ecom_zzxy_prd/oauth2/trusted-system/token',
    ]);
    expect(
      calls.filter((c) => !['GET', 'POST', 'DELETE'].includes(c.method)).map((c) => c.path),
    ).toEqual([]);
    // The guest basket is deleted: one DELETE for the one POST.
    const basketWrites = calls
      .filter((c) => /\/baskets/.test(c.path) && c.method !== 'GET')
      .map((c) => c.method);
    expect(basketWrites).toEqual(['POST', 'DELETE']);
  });

  test('as a process (npx tsx scripts/org-check.ts) it exits 0', async () => {
    const { code, stdout } = await orgCheckProcess(stack.env);
    expect(stdout).toContain('\n40 passed, 0 failed, 0 not checked — the org meets the contract\n');
    expect(stdout).not.toContain('✗');
    expect(code).toBe(0);
  }, 30_000);
});

describe('npm run org:check with a prerequisite removed', () => {
  test('the Case fingerprint field deleted from the org: the precise line, exit code 1', async () => {
    const restore = changeCaseField('Idempotency_Fingerprint__c', () => undefined);
    try {
      const { code, stdout } = await orgCheckProcess(stack.env);
      const lines = stdout.split('\n');
      expect(lines).toContain(
        '  ✗ Case.Idempotency_Fingerprint__c (CASE_IDEMPOTENCY_FINGERPRINT_FIELD): Text(64) — Case has no field Idempotency_Fingerprint__c',
      );
      expect(lines[lines.indexOf(lines.find((l) => l.includes('✗ Case.Idempotency_F'))!) + 1]).toBe(
        '      fix: Create the Case field Idempotency_Fingerprint__c: Text(64), visible and editable for the integration user — or set CASE_IDEMPOTENCY_FINGERPRINT_FIELD to the field the org has.',
      );
      // The SOQL that reads the field fails too; nothing else does.
      expect(lines.filter((l) => l.startsWith('  ✗ '))).toEqual([
        '  ✗ Case.Idempotency_Fingerprint__c (CASE_IDEMPOTENCY_FINGERPRINT_FIELD): Text(64) — Case has no field Idempotency_Fingerprint__c',
        '  ✗ the integration user reads Case (Id, CaseNumber, Subject, Description, Status, Priority, Origin, ContactId, CreatedDate, LastModifiedDate, Idempotency_Key__c, Idempotency_Fingerprint__c) — answered 400 INVALID_FIELD',
      ]);
      expect(stdout).toContain(
        '\n38 passed, 2 failed, 0 not checked — the org does NOT meet the contract\n',
      );
      expect(code).toBe(1);
    } finally {
      restore();
    }
  }, 30_000);

  test('a Case picklist value deactivated, or one the org lacks: the precise line, its fix, exit code 1', async () => {
    const high = OBJECTS.get('Case')!
      .byLower.get('priority')!
      .picklist!.values.find((v) => v.value === 'High')!;
    high.active = false;
    try {
      const { code, stdout } = await orgCheckProcess({ ...stack.env, CASE_ORIGIN: 'Portal' });
      const lines = stdout.split('\n');
      const failures = lines.filter((l) => l.startsWith('  ✗ '));
      expect(failures).toEqual([
        '  ✗ Case picklist values the case subgraph writes or filters by are active: Origin Portal (CASE_ORIGIN), Priority High, Medium, Low (CASE_PRIORITY_VALUES), Status New, Working, Escalated, Closed (CASE_STATUS_VALUES) — Case.Origin has no value Portal; Case.Priority value High is inactive',
      ]);
      expect(lines[lines.indexOf(failures[0]) + 1]).toBe(
        '      fix: Activate the value in Setup → Object Manager → Case → Fields & Relationships → Case Origin / Priority / Status → Values (an inactive value: Activate; a missing one: New) — or set CASE_ORIGIN / CASE_PRIORITY_VALUES (High,Medium,Low order) / CASE_STATUS_VALUES (New,Working,Escalated,Closed order) to active values of the org’s picklists.',
      );
      expect(code).toBe(1);
    } finally {
      high.active = true;
    }
    // Values the org has, in another order: passes; a status the org lacks fails.
    const report = await runOrgCheck({
      ...stack.env,
      CASE_ORIGIN: 'Email',
      CASE_PRIORITY_VALUES: 'Low,Medium,High',
    });
    expect(failed(report)).toEqual([]);
    const renamed = await runOrgCheck({
      ...stack.env,
      CASE_STATUS_VALUES: 'Open,Working,Escalated,Closed',
    });
    expect(renamed.results.find((r) => r.id === 'crm.case.picklists')?.detail).toBe(
      'Case.Status has no value Open',
    );
  }, 30_000);

  test('the idempotency key not unique and not an external id', async () => {
    const restore = changeCaseField('Idempotency_Key__c', (f) => ({
      ...f,
      unique: false,
      externalId: false,
    }));
    try {
      const report = await runOrgCheck(stack.env);
      expect(failed(report)).toEqual(['crm.case.keyField']);
      expect(report.results.find((r) => r.id === 'crm.case.keyField')?.detail).toBe(
        'Case.Idempotency_Key__c is not an External ID, not Unique',
      );
      expect(report.ok).toBe(false);
    } finally {
      restore();
    }
  });

  test('the integration user without "Customize Application": it sees only its own OauthToken rows', async () => {
    const emu = stack.emulator.core;
    const set = permissionSetGranting(
      emu,
      emu.world.integration.userId,
      'PermissionsCustomizeApplication',
    )!;
    emu.sobjects.update('PermissionSet', set, { PermissionsCustomizeApplication: false });
    try {
      const report = await runOrgCheck(stack.env);
      expect(failed(report)).toEqual(['crm.oauthToken']);
      const lines = formatReport(report).split('\n');
      const i = lines.indexOf(
        '  ✗ the integration user sees every user’s OauthToken rows ("Customize Application": logout and password reset end every grant) — the integration user lacks "Customize Application": OauthToken shows it only its own rows, so no citizen session can be ended',
      );
      expect(i).toBeGreaterThan(0);
      expect(lines[i + 1]).toBe(
        '      fix: Give the integration user "Customize Application" (permission set or profile; "Manage Users" is not enough): without it OauthToken shows only its own rows.',
      );
    } finally {
      emu.sobjects.update('PermissionSet', set, { PermissionsCustomizeApplication: true });
    }
  });

  test('the agent app’s Run As user on another licence than Salesforce Integration', async () => {
    const core = stack.emulator.core;
    const user = core.sobjects.get('User', core.world.integration.userId)!;
    const profile = user.ProfileId;
    const standard = core.sobjects.findBy('Profile', 'Name', 'Standard User')[0].Id;
    core.sobjects.update('User', user.Id, { ProfileId: standard });
    try {
      const report = await runOrgCheck(stack.env);
      expect(failed(report)).toEqual(['crm.agentLicence']);
      expect(report.results.find((r) => r.id === 'crm.agentLicence')).toMatchObject({
        detail: 'the integration user\'s licence is "Salesforce", not "Salesforce Integration"',
        fix: expect.stringMatching(/^Run the agent app as a user with the Salesforce Integration/),
      });
    } finally {
      core.sobjects.update('User', user.Id, { ProfileId: profile });
    }
    // Not an agent app: not checked (other agent apps' users are a manual item).
    const other = await runOrgCheck({ ...stack.env, AGENT_CLIENT_IDS: 'some-agent-console' });
    expect(other.results.find((r) => r.id === 'crm.agentLicence')?.status).toBe('skip');
  });

  test('a payment method the site does not offer: scapi.paymentMethod names it and the fix, exit code 1', async () => {
    const store = scapiStore(stack.emulator.core);
    store.setPaymentMethods(['GIFT_CERTIFICATE']);
    try {
      const { code, stdout } = await orgCheckProcess(stack.env);
      const lines = stdout.split('\n');
      const failures = lines.filter((l) => l.startsWith('  ✗ '));
      expect(failures).toEqual([
        '  ✗ site CityServices offers payment method CREDIT_CARD for a basket (SCAPI_PAYMENT_METHOD_ID) — the site offers GIFT_CERTIFICATE, not CREDIT_CARD',
      ]);
      expect(lines[lines.indexOf(failures[0]) + 1]).toBe(
        "      fix: Enable the payment method CREDIT_CARD for site CityServices in Business Manager → Merchant Tools → Ordering → Payment Methods (Enabled, with a payment processor, for the site's currency and countries) — or set SCAPI_PAYMENT_METHOD_ID to a method the site offers (blank: the basket's first card method).",
      );
      expect(code).toBe(1);
      // Blank: any method taking cards would do; GIFT_CERTIFICATE takes none.
      const blank = await runOrgCheck({ ...stack.env, SCAPI_PAYMENT_METHOD_ID: '' });
      expect(failed(blank)).toEqual(['scapi.paymentMethod']);
      expect(blank.results.find((r) => r.id === 'scapi.paymentMethod')?.detail).toBe(
        'no method the site offers (GIFT_CERTIFICATE) takes cards',
      );
    } finally {
      store.setPaymentMethods(['CREDIT_CARD', 'GIFT_CERTIFICATE']);
    }
  }, 30_000);

  test('a SLAS client without the scope for customer orders: scapi.scopes names it', async () => {
    const scopes = stack.emulator.core.world.integration.slasScopes;
    const before = [...scopes];
    scopes.splice(scopes.indexOf('sfcc.shopper-myaccount.orders'), 1);
    try {
      const report = await runOrgCheck(stack.env);
      expect(failed(report)).toEqual(['scapi.scopes']);
      const lines = formatReport(report).split('\n');
      const i = lines.findIndex((l) => l.startsWith("  ✗ the SLAS client's tokens carry"));
      expect(lines[i]).toMatch(/ — the guest token lacks sfcc\.shopper-myaccount\.orders$/);
      expect(lines[i + 1]).toBe(
        '      fix: Add the missing scopes to the SLAS private client (SLAS Admin UI → Clients → Scopes), or give it sfcc.shopper-standard plus sfcc.ts_ext_on_behalf_of.',
      );
    } finally {
      scopes.splice(0, scopes.length, ...before);
    }
  });

  test('the case comment request object missing from the org: the precise line and its fix', async () => {
    const report = await runOrgCheck({
      ...stack.env,
      CASE_COMMENT_REQUEST_OBJECT: 'Comment_Request__c',
    });
    expect(failed(report)).toEqual(['crm.caseCommentRequest']);
    const line = formatReport(report)
      .split('\n')
      .find((l) => l.startsWith('  ✗ '));
    expect(line).toBe(
      '  ✗ Comment_Request__c (CASE_COMMENT_REQUEST_OBJECT): Idempotency_Key__c unique, case-sensitive external id; Case__c, Fingerprint__c, Case_Comment_Id__c (addCaseComment) — describe Comment_Request__c answered 404: the org has no such object, or the integration user cannot see it',
    );
    expect(formatReport(report)).toContain(
      'fix: Create the custom object Comment_Request__c with the fields Idempotency_Key__c (Text(80), External ID, Unique,',
    );
  });

  test('the case comment request key not unique, not an external id, case-insensitive', async () => {
    const def = OBJECTS.get('Case_Comment_Request__c')!;
    const original = def.fields.find((f) => f.name === 'Idempotency_Key__c')!;
    const index = def.fields.indexOf(original);
    const weak = { ...original, unique: false, externalId: false, caseSensitive: false };
    def.fields[index] = weak;
    def.byLower.set('idempotency_key__c', weak);
    try {
      const report = await runOrgCheck(stack.env);
      expect(failed(report)).toEqual(['crm.caseCommentRequest']);
      expect(report.results.find((r) => r.id === 'crm.caseCommentRequest')?.detail).toBe(
        'Idempotency_Key__c not an External ID; Idempotency_Key__c not Unique; Idempotency_Key__c not case-sensitive',
      );
    } finally {
      def.fields[index] = original;
      def.byLower.set('idempotency_key__c', original);
    }
  });

  test.each([
    [
      'a calculated insight the org does not have',
      { DATA_CLOUD_CALCULATED_INSIGHT: 'Citizen_Engagment__cio' },
      // The data graph must carry the configured insight too.
      ['datacloud.dmo.calculatedInsight', 'datacloud.dataGraph'],
      '  ✗ Citizen_Engagment__cio (DATA_CLOUD_CALCULATED_INSIGHT) with UnifiedIndividualId__c, LifetimeValue__c, EngagementScore__c, BenefitEligibility__c — Citizen_Engagment__cio does not exist or cannot be read (answered 400 TABLE_NOT_FOUND)',
    ],
    [
      'a party identification type no row has',
      { DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE: 'CommerceEmail' },
      ['datacloud.partyIdentificationType'],
      "  ✗ Commerce logins are party identifications of type CommerceEmail (DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE) — no ssot__PartyIdentification__dlm row has ssot__PartyIdentificationTypeId__c = 'CommerceEmail'",
    ],
    [
      'a data source id no link row has',
      { DATA_CLOUD_CRM_SOURCE_ID: 'Salesforce_CRM_2' },
      ['datacloud.source.crm'],
      "  ✗ CRM Contact records reach unified individuals from data source Salesforce_CRM_2 / Contact (DATA_CLOUD_CRM_SOURCE_ID, DATA_CLOUD_CRM_SOURCE_OBJECT) — no UnifiedLinkssotIndividualIr1__dlm row has ssot__DataSourceId__c = 'Salesforce_CRM_2' and ssot__DataSourceObjectId__c = 'Contact'",
    ],
    [
      'a platform event the org does not have (Case_Comment__e missing)',
      { PUBSUB_CASE_COMMENT_TOPIC: '/event/Case_Note__e' },
      ['pubsub.topic.comment'],
      '  ✗ platform event /event/Case_Note__e (PUBSUB_CASE_COMMENT_TOPIC) at 127.0.0.1:PORT — GetTopic /event/Case_Note__e answered NOT_FOUND: Topic not found: /event/Case_Note__e.',
    ],
    [
      'a change event channel the org does not publish (Change Data Capture not on for Case)',
      { PUBSUB_CASE_TOPIC: '/data/Case_Updates__chn' },
      ['pubsub.topic.case'],
      '  ✗ Case change events /data/Case_Updates__chn (PUBSUB_CASE_TOPIC) at 127.0.0.1:PORT (PUBSUB_URL) — GetTopic /data/Case_Updates__chn answered NOT_FOUND: Topic not found: /data/Case_Updates__chn.',
    ],
    [
      'a site id the instance does not have',
      { SCAPI_SITE_ID: 'RefArch' },
      // A basket needs the site too (getPaymentMethodsForBasket).
      ['scapi.site', 'scapi.paymentMethod'],
      '  ✗ site RefArch answers getProducts (SCAPI_SITE_ID) — answered 400 bad-request',
    ],
    [
      'an introspection secret the org refuses',
      { IDENTITY_INTROSPECT_CLIENT_SECRET: 'wrong-secret' },
      ['identity.introspect'],
      '  ✗ token introspection accepts client 3MVG9C360IntegrationClientDemoKey (gateway: IDENTITY_INTROSPECT_CLIENT_ID/SECRET) — introspect answered 401 invalid_client: the client id and secret are refused',
    ],
    [
      'an integration secret the org refuses: everything that needs the token is not checked',
      { CRM_CLIENT_SECRET: 'wrong-secret' },
      [
        'crm.token',
        'crm.case.object',
        'crm.case.keyField',
        'crm.case.fingerprintField',
        'crm.case.picklists',
        'crm.caseCommentRequest',
        'crm.oauthToken',
        'crm.agentLicence',
        'crm.query.Case',
        'crm.query.CaseComment',
        'crm.query.Contact',
        'crm.query.User',
        'crm.query.TwoFactorMethodsInfo',
        'crm.query.OauthToken',
        'pubsub.topic.case',
        'pubsub.topic.comment',
        'datacloud.exchange',
        'datacloud.dmo.unifiedIndividual',
        'datacloud.dmo.individualLink',
        'datacloud.dmo.contactPointEmail',
        'datacloud.dmo.contactPointPhone',
        'datacloud.dmo.contactPointAddress',
        'datacloud.dmo.calculatedInsight',
        'datacloud.dmo.segmentMembership',
        'datacloud.dmo.partyIdentification',
        'datacloud.source.crm',
        'datacloud.source.commerce',
        'datacloud.partyIdentificationType',
        'datacloud.dataGraph',
        'datacloud.segments',
        // The session subgraph introspects with the CRM client (the gateway with its own
        // IDENTITY_INTROSPECT_* client, the second check).
        'identity.introspect.2',
        // The site's settings are read, and the token's scopes shown, with the same client.
        'identity.headlessProtection',
        'identity.headlessScopes',
      ],
      '  ✗ integration client token (client credentials: CRM_LOGIN_URL, CRM_CLIENT_ID, CRM_CLIENT_SECRET) — answered 401 invalid_client',
    ],
  ])('%s', async (_what, env, ids, line) => {
    const report = await runOrgCheck({ ...stack.env, ...env });
    expect(failed(report)).toEqual(ids);
    // (A Pub/Sub API error's details end with the call's rpcId, different every time.)
    const lines = formatReport(report)
      .split('\n')
      .map((l) => l.replace(/ rpcId: [\w-]+$/, ''));
    expect(lines).toContain(line.replace('127.0.0.1:PORT', String(stack.env.PUBSUB_URL)));
    expect(report.ok).toBe(false);
  });

  test("the site's forgot password does not demand the integration token (DoesForgotPasswordRequireAuth off)", async () => {
    const row = siteAuthSettings(stack.emulator.core);
    const before = { ...row };
    Object.assign(row, {
      DoesForgotPasswordRequireAuth: false,
      IsRecaptchaRequiredForgotPwd: true,
    });
    try {
      const { code, stdout } = await orgCheckProcess(stack.env);
      const lines = stdout.split('\n');
      const line = lines.findIndex((l) => l.startsWith('  ✗ '));
      expect(lines.filter((l) => l.startsWith('  ✗ '))).toEqual([
        "  ✗ the site's headless registration and forgot password demand what IDENTITY_HEADLESS_PROTECTION=integration-token sends (NetworkAuthApiSettings) — DoesForgotPasswordRequireAuth is false, IsRecaptchaRequiredForgotPwd is true",
      ]);
      expect(lines[line + 1]).toBe(
        '      fix: Set NetworkAuthApiSettings.DoesForgotPasswordRequireAuth = true ("Does reset password require authentication"), NetworkAuthApiSettings.IsRecaptchaRequiredForgotPwd = false ("Require reCAPTCHA for Forgot Password") in the site\'s Experience Builder → Administration → Login & Registration → Headless Identity Configuration — or set IDENTITY_HEADLESS_PROTECTION to the mode the site has (integration-token or recaptcha).',
      );
      expect(code).toBe(1);
      // The same site checked for reCAPTCHA mode: registration still demands the token.
      const report = await runOrgCheck({ ...stack.env, IDENTITY_HEADLESS_PROTECTION: 'recaptcha' });
      expect(failed(report)).toEqual(['identity.headlessProtection']);
      expect(report.results.find((r) => r.id === 'identity.headlessProtection')?.detail).toBe(
        'DoesRegistrationRequireAuth is true, IsRecaptchaRequiredRgstr is false',
      );
    } finally {
      Object.assign(row, before);
    }
  }, 30_000);

  test('no site has Headless Identity configured (no NetworkAuthApiSettings row)', async () => {
    const table = stack.emulator.core.sobjects.table('NetworkAuthApiSettings');
    const saved = new Map(table);
    table.clear();
    try {
      const report = await runOrgCheck(stack.env);
      expect(failed(report)).toEqual(['identity.headlessProtection']);
      const r = report.results.find((x) => x.id === 'identity.headlessProtection')!;
      expect(r.detail).toBe(
        'no NetworkAuthApiSettings row: no site has Headless Identity configured',
      );
      expect(r.fix).toMatch(
        /NetworkAuthApiSettings\.IsHeadlessUserRegistrationAllowed, IsForgotPwdAllowed/,
      );
    } finally {
      for (const [k, v] of saved) table.set(k, v);
    }
  });

  test('the data graph missing from the org: the precise line and its fix', async () => {
    const report = await runOrgCheck({ ...stack.env, DATA_CLOUD_DATA_GRAPH: 'Citizen_Profile' });
    expect(failed(report)).toEqual(['datacloud.dataGraph']);
    const lines = formatReport(report).split('\n');
    const line =
      "  ✗ data graph Citizen_Profile (DATA_CLOUD_DATA_GRAPH) on UnifiedssotIndividualIr1__dlm with the objects and fields a citizen's profile reads — no data graph Citizen_Profile (GET /api/v1/dataGraph/metadata)";
    expect(lines).toContain(line);
    expect(lines[lines.indexOf(line) + 1]).toBe(
      "      fix: Create and publish the data graph Citizen_Profile (Data Cloud → Data Graphs) on UnifiedssotIndividualIr1__dlm with the objects and fields docs/real-org.md §3 lists, and give the integration user access to it — or set DATA_CLOUD_DATA_GRAPH to the org's graph of that shape, or blank to read every citizen through the Query API.",
    );
    expect(report.ok).toBe(false);
  });

  test('a data graph without an object the profile reads names it', async () => {
    // The graph carries UnifiedssotIndividualIr1_SM__dlm; segments configured elsewhere are not in it.
    const report = await runOrgCheck({
      ...stack.env,
      DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE: 'UnifiedssotIndividualIr1_SMH__dlm',
    });
    expect(report.results.find((r) => r.id === 'datacloud.dataGraph')).toMatchObject({
      status: 'fail',
      detail:
        'Citizen_360 lacks object UnifiedssotIndividualIr1_SMH__dlm under UnifiedssotIndividualIr1__dlm',
    });
  });

  test('no data graph configured (blank): not checked, and the org still meets the contract', async () => {
    const report = await runOrgCheck({ ...stack.env, DATA_CLOUD_DATA_GRAPH: '' });
    expect(report.results.find((r) => r.id === 'datacloud.dataGraph')).toMatchObject({
      status: 'skip',
      detail: 'not checked: needs DATA_CLOUD_DATA_GRAPH (blank: Query API only)',
    });
    expect(report.ok).toBe(true);
  });

  test('a configuration value a service refuses is a failed check, not a crash', async () => {
    const report = await runOrgCheck({
      ...stack.env,
      CASE_IDEMPOTENCY_KEY_FIELD: 'Idempotency Key',
    });
    expect(report.results[0]).toEqual({
      id: 'config.case',
      area: 'Configuration',
      title: 'case configuration (loadCaseConfig)',
      status: 'fail',
      // The loader's own message (it names the variable).
      detail: expect.stringMatching(
        /^CASE_IDEMPOTENCY_KEY_FIELD must be a custom field API name such as Idempotency_Key__c/,
      ),
      fix: 'Correct the variable named above (.env.example lists every variable and its default).',
    });
    expect(report.results.some((r) => r.area === 'CRM')).toBe(false);
    expect(report.ok).toBe(false);
  });
});
