// The upstream models behind the GraphQL types (codegen-mappers.json points here).

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

export interface CitizenConnectionModel {
  segment: SegmentModel;
  memberIds: string[];
  offset: number;
  hasNextPage: boolean;
  /** The Segment Members API's totalCount; null when no page was read (first: 0). */
  totalCount: number | null;
}

/** Opaque cursors over the Segment Members API offset. */
export const encodeCursor = (offset: number) =>
  Buffer.from(`offset:${offset}`).toString('base64url');
export function decodeCursor(cursor: string): number | null {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
