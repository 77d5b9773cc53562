// Segment definitions change when a marketer publishes one, not per request: this process keeps
// the Connect segment list for SEGMENT_LIST_TTL_MS (default 60 s; 0 = per request only) and
// shares one in-flight read between racing requests. (Query.segment reads a definition from the
// same list: loaders.ts segmentByApiName.)
import { KeyedFlight } from '../../lib/keyed-flight.js';
import type { DataCloudClient, SegmentInfo } from './client.js';

export class SegmentCatalogue {
  private readonly flight: KeyedFlight<SegmentInfo[]>;

  constructor(ttlMs: number) {
    this.flight = new KeyedFlight({ rememberMs: ttlMs > 0 ? ttlMs : undefined, maxRemembered: 1 });
  }

  /** Every segment definition (Connect pages of 200), at most TTL old. */
  list(client: DataCloudClient): Promise<SegmentInfo[]> {
    return this.flight.run('segments', () => client.listSegments(200));
  }
}
