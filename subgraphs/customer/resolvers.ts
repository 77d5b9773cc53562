// Resolvers of the Customer subgraph. Access is decided from the principal BEFORE any upstream
// call; every Data Cloud read goes through the per-request loaders, so N citizens cost the same
// number of Query API calls as one, and the parts of the citizens of one tick share one call.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ErrorCode, graphqlError } from '../../lib/errors.js';
import { isAgent, maySeeCitizen } from '../../lib/principal.js';
import type { SegmentInfo, SegmentMembersPage, SqlRow } from './client.js';
import type { CitizenPart } from './citizen-parts.js';
import type { Context } from './context.js';
import { citizenUpdated } from './citizen-updated.js';
import type { CitizenInsights, PostalAddress, Resolvers } from './__generated__/resolvers-types.js';
import { MEMBER_CURSOR, type CitizenModel, type SegmentModel } from './mappers.js';
import { connectionFromSlice, parsePage } from '../../lib/graphql/connection.js';

const str = (v: unknown): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

interface CitizenKeys {
  id?: string | null;
  contactId?: string | null;
  commerceCustomerId?: string | null;
}

const KEY_KINDS = ['id', 'contactId', 'commerceCustomerId'] as const;

/**
 * Finds the unified citizen a representation names, or null (missing, not visible, or keys that
 * disagree). Access is decided on the keys before any upstream call (every key must be the
 * principal's own, unless an agent asks); then every key given is resolved (one batched query
 * per key kind) and they must all name the same unified individual, which for a citizen must
 * be the principal's own. So the record answered is the record authorised, whichever key
 * reached it.
 */
async function resolveCitizen(
  ctx: Context,
  keys: CitizenKeys,
  info?: GraphQLResolveInfo,
): Promise<CitizenModel | null> {
  if (
    !maySeeCitizen(ctx.principal, {
      unifiedId: keys.id,
      contactId: keys.contactId,
      commerceCustomerId: keys.commerceCustomerId,
    })
  )
    return null;
  const fields = info ? citizenFieldsSelected(info) : undefined;
  if (keys.id && fields) prefetch(ctx, String(keys.id), fields);
  else if (fields)
    for (const kind of ['contactId', 'commerceCustomerId'] as const)
      if (keys[kind]) ctx.loaders.wantParts(String(keys[kind]), partsNeeded(fields, kind));
  const given = KEY_KINDS.filter((k) => !!keys[k]).map((kind) => ({
    kind,
    value: String(keys[kind]),
  }));
  const found = await Promise.all(given.map((k) => ctx.loaders.citizenByKey.load(k)));
  const [first] = found;
  if (!first || found.some((f) => f?.id !== first.id)) return null;
  const p = ctx.principal;
  if (p.kind === 'citizen' && p.unifiedId && first.id !== p.unifiedId) return null;
  return Object.assign({}, ...found) as CitizenModel;
}

/**
 * The Citizen fields a resolver's selection asks for (through inline fragments and fragment
 * spreads; for `_entities`, those under `... on Citizen`).
 */
function citizenFieldsSelected(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition?.name.value;
        if (!on || on === 'Citizen') visit(sel.selectionSet);
      } else {
        const fragment = info.fragments[sel.name.value];
        if (fragment?.typeCondition.name.value === 'Citizen') visit(fragment.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}

/** Link rows answer these fields (the other keys; the Commerce login is joined to them). */
const LINK_FIELDS = ['contactId', 'commerceCustomerId', 'commerceLogin'];
/** The profile part (one-to-one tables) answers these. */
const PROFILE_FIELDS = [
  'firstName',
  'lastName',
  'displayName',
  'email',
  'phone',
  'address',
  'insights',
];

/**
 * The parts a citizen reached by a source key (`by`) needs for `fields`; the key's own field is
 * answered from the representation. Joined onto the link lookup (loaders.ts linkBySourceLoader).
 */
function partsNeeded(fields: Set<string>, by: 'contactId' | 'commerceCustomerId'): CitizenPart[] {
  const parts: CitizenPart[] = [];
  if (PROFILE_FIELDS.some((f) => fields.has(f))) parts.push('profile');
  if (LINK_FIELDS.some((f) => f !== by && fields.has(f))) parts.push('links');
  if (fields.has('segments')) parts.push('memberships');
  return parts;
}

/**
 * When the unified id is known up front (an `id` key, already authorised), the parts the
 * selection will need are asked now, in the same tick as the existence check's profile read:
 * they are one batch of the parts loader, so ONE Query API call (citizen-parts.ts) answers the
 * existence check, the profile, the links and the memberships, and CitizenProfile's Data Cloud
 * part is one hop. A part not selected is not read (the profile is: the existence check needs it).
 */
function prefetch(ctx: Context, unifiedId: string, fields: Set<string>): void {
  const reads: Array<Promise<unknown>> = [ctx.loaders.unifiedById.load(unifiedId)];
  if (LINK_FIELDS.some((f) => fields.has(f)))
    reads.push(ctx.loaders.linksByUnifiedId.load(unifiedId));
  if (fields.has('segments')) {
    reads.push(ctx.loaders.segmentIdsByUnifiedId.load(unifiedId), ctx.loaders.segments());
  }
  // The field resolvers await these same promises and report their errors; here they are only started.
  for (const r of reads) r.catch(() => undefined);
}

async function sourceRecordId(
  ctx: Context,
  unifiedId: string,
  source: { dataSourceId: string; objectId: string },
): Promise<string | null> {
  const links = await ctx.loaders.linksByUnifiedId.load(unifiedId);
  const link = links.find(
    (l) =>
      l.ssot__DataSourceId__c === source.dataSourceId &&
      l.ssot__DataSourceObjectId__c === source.objectId,
  );
  return str(link?.SourceRecordId__c);
}

async function commerceCustomerIdOf(ctx: Context, c: CitizenModel): Promise<string | null> {
  return c.commerceCustomerId ?? sourceRecordId(ctx, c.id, ctx.dataCloud.commerceCustomerSource);
}

const toSegment = (s: SegmentInfo): SegmentModel => ({
  marketSegmentId: s.marketSegmentId,
  apiName: s.apiName,
  name: s.displayName,
  description: s.description ?? null,
  membershipTable: s.segmentMembershipTable ?? null,
});

/** More members after this page: the answer names a next page, or rows remain by totalCount. */
const hasMore = (page: SegmentMembersPage, offset: number) =>
  !!page.nextPageUrl || offset + page.data.length < page.totalCount;

function toInsights(row: SqlRow | null): CitizenInsights | null {
  if (!row) return null;
  const ltv = str(row.LifetimeValue__c);
  return {
    lifetimeValue: ltv === null ? null : { amount: ltv, currencyCode: 'USD' },
    engagementScore: row.EngagementScore__c === null ? null : Number(row.EngagementScore__c),
    benefitEligibility: str(row.BenefitEligibility__c),
  };
}

function toAddress(row: SqlRow | null): PostalAddress | null {
  if (!row) return null;
  return {
    street: str(row.ssot__AddressLine1__c),
    city: str(row.ssot__CityId__c),
    stateCode: str(row.ssot__StateProvinceId__c),
    postalCode: str(row.ssot__PostalCodeId__c),
    countryCode: str(row.ssot__CountryId__c),
  };
}

const SEGMENT_API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

export const resolvers: Resolvers = {
  Query: {
    citizen: (_root, { id }, ctx, info) => {
      // An empty id is a mistake of the caller (an unfilled variable), not a citizen that is
      // missing: say so rather than answer a silent null. Nothing is sent to Data Cloud.
      if (!id.trim())
        throw graphqlError(
          ErrorCode.BAD_USER_INPUT,
          'id must be a Data Cloud unified individual id (yours: viewer { citizen { id } }).',
          { field: 'id' },
        );
      return resolveCitizen(ctx, { id }, info);
    },
    segment: async (_root, { apiName }, ctx) => {
      // It becomes a Connect path segment (/ssot/segments/{apiName}): `..` or `a/b` must never
      // reach Salesforce. A Salesforce API name: a letter, then letters, digits and single
      // underscores, not ending in one, at most 80 characters.
      if (!SEGMENT_API_NAME.test(apiName) || apiName.includes('__') || apiName.endsWith('_'))
        throw graphqlError(
          ErrorCode.BAD_USER_INPUT,
          'apiName must be a segment API name (a letter, then letters, digits and single underscores).',
          { field: 'apiName' },
        );
      if (!isAgent(ctx.principal)) return null;
      const s = await ctx.loaders.segmentByApiName(apiName);
      return s ? toSegment(s) : null;
    },
  },
  Subscription: {
    citizenUpdated: {
      subscribe: (_root, { id }, ctx) => citizenUpdated(ctx, id),
    },
  },
  Citizen: {
    __resolveReference: (ref, ctx, info) => resolveCitizen(ctx, ref as CitizenKeys, info),
    id: (c) => c.id,
    firstName: async (c, _a, ctx) =>
      str((await ctx.loaders.unifiedById.load(c.id))?.ssot__FirstName__c),
    lastName: async (c, _a, ctx) =>
      str((await ctx.loaders.unifiedById.load(c.id))?.ssot__LastName__c),
    displayName: async (c, _a, ctx) => {
      const row = await ctx.loaders.unifiedById.load(c.id);
      const name = [str(row?.ssot__FirstName__c), str(row?.ssot__LastName__c)]
        .filter(Boolean)
        .join(' ');
      if (name) return name;
      return str((await ctx.loaders.emailByUnifiedId.load(c.id))?.ssot__EmailAddress__c) ?? c.id;
    },
    contactId: async (c, _a, ctx) =>
      c.contactId ?? sourceRecordId(ctx, c.id, ctx.dataCloud.crmContactSource),
    commerceCustomerId: (c, _a, ctx) => commerceCustomerIdOf(ctx, c),
    commerceLogin: async (c, _a, ctx) =>
      str((await ctx.loaders.commerceLoginByUnifiedId.load(c.id))?.ssot__Identificationnumber__c),
    email: async (c, _a, ctx) =>
      str((await ctx.loaders.emailByUnifiedId.load(c.id))?.ssot__EmailAddress__c),
    phone: async (c, _a, ctx) =>
      str((await ctx.loaders.phoneByUnifiedId.load(c.id))?.ssot__FormattedE164PhoneNumber__c),
    address: async (c, _a, ctx) => toAddress(await ctx.loaders.addressByUnifiedId.load(c.id)),
    insights: async (c, _a, ctx) => toInsights(await ctx.loaders.insightsByUnifiedId.load(c.id)),
    segments: async (c, _a, ctx) => {
      const [rows, all] = await Promise.all([
        ctx.loaders.segmentIdsByUnifiedId.load(c.id),
        ctx.loaders.segments(),
      ]);
      const ids = new Set(rows.map((r) => String(r.Segment_Id__c)));
      // Rows of the configured membership DMO belong to segments publishing into it; a segment
      // that names another table (built on another entity) cannot match them.
      const table = ctx.dataCloud.segmentMembershipTable.toLowerCase();
      return all
        .filter(
          (s) =>
            ids.has(s.marketSegmentId) &&
            (!s.segmentMembershipTable || s.segmentMembershipTable.toLowerCase() === table),
        )
        .map(toSegment);
    },
  },
  Segment: {
    members: async (segment, { first, after }, ctx) => {
      // Listing members reveals other citizens: agents only, whichever path reached the segment.
      if (!isAgent(ctx.principal))
        throw graphqlError(ErrorCode.FORBIDDEN, 'Only agents may list segment members.');
      const page = parsePage({ first, after }, { kind: MEMBER_CURSOR, default: 20 });
      const kind = MEMBER_CURSOR;
      const { offset } = page;
      if (page.first === 0)
        return {
          segment,
          ...connectionFromSlice([], { kind, offset, totalCount: 0, hasNextPage: false }),
          totalCount: null,
        };
      const res = await ctx.client.segmentMembers(segment.apiName, page.first, offset);
      if (!res) return { segment, ...connectionFromSlice([], { kind, offset, totalCount: 0 }) };
      const members = res.data.map((m) => ({ id: String(m.id) }));
      return {
        segment,
        ...connectionFromSlice(members, {
          kind,
          offset,
          totalCount: res.totalCount,
          hasNextPage: hasMore(res, offset),
        }),
      };
    },
  },
  CitizenConnection: {
    // From the Segment Members API answer (CdpSegmentMemberOutput.totalCount); only a page of
    // zero rows (first: 0) asks for it separately, with the smallest page.
    totalCount: async (conn, _a, ctx) =>
      conn.totalCount ??
      (await ctx.client.segmentMembers(conn.segment.apiName, 1, 0))?.totalCount ??
      0,
  },
};
