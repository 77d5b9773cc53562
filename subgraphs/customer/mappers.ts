// The upstream models behind the GraphQL types (codegen-mappers.json points here).
import { encodeCursor as encodeCursorOf, type Connection } from '../../lib/graphql/connection.js';

/** A citizen as far as it is known: always the unified id once resolved; other keys when known. */
export interface CitizenModel {
  id: string;
  contactId?: string | null;
  commerceCustomerId?: string | null;
}

export interface SegmentModel {
  /** Connect marketSegmentId (1sg…), the value of Segment_Id__c in the membership DMO. */
  marketSegmentId: string;
  apiName: string;
  name: string;
  description?: string | null;
  /** Connect segmentMembershipTable: the latest-membership DMO this segment publishes into. */
  membershipTable: string | null;
}

/** Segment.members: lib/graphql's connection over the Segment Members API page. */
export interface CitizenConnectionModel extends Omit<Connection<{ id: string }>, 'totalCount'> {
  segment: SegmentModel;
  /** The Segment Members API's totalCount; null when no page was read (first: 0). */
  totalCount: number | null;
}

/** Member cursors: lib/graphql's codec, a member's position in the Segment Members API order. */
export const MEMBER_CURSOR = 'member';

/** The cursor whose `after` resumes the members at `offset` (the cursor of the member before it). */
export const encodeCursor = (offset: number) => encodeCursorOf(MEMBER_CURSOR, offset - 1);
