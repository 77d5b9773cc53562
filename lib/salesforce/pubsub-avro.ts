// Avro decoding for Pub/Sub API events: the schema from GetSchema, the binary payload of each
// ConsumerEvent, and the ChangeEventHeader bitmap fields turned back into field names
// ("Event Deserialization Considerations": bit i = the field at position i of the schema,
// https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-deserialization-considerations.html).
// avro-js is loaded without its index: 1.12.2's index requires `underscore` (undeclared).
import { createRequire } from 'node:module';

interface AvroType {
  fromBuffer(buffer: Buffer): unknown;
}
const load = createRequire(typeof __filename !== 'undefined' ? __filename : import.meta.url);
const avroSchemas = load('avro-js/lib/schemas') as { createType: (s: object) => AvroType };

export interface EventSchema {
  id: string;
  /** Top-level field names in schema order (what the bitmaps index). */
  fieldNames: string[];
  decode(payload: Buffer): Record<string, unknown>;
}

/** avro-js answers a union value as `{ type: value }`; events read better as plain values. */
function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    const entries = Object.entries(v);
    if (entries.length === 1 && v.constructor?.name !== 'Object' && !('ChangeEventHeader' in v))
      return unwrap(entries[0][1]);
    return Object.fromEntries(entries.map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}

export function parseEventSchema(id: string, json: string): EventSchema {
  const schema = JSON.parse(json) as { fields: Array<{ name: string }> };
  const type = avroSchemas.createType(schema);
  return {
    id,
    fieldNames: schema.fields.map((f) => f.name),
    decode: (payload) => unwrap(type.fromBuffer(payload)) as Record<string, unknown>,
  };
}

/** Names of the top-level fields a bitmap field (e.g. ['0x1A']) sets. Compound parts are skipped. */
export function bitmapFieldNames(fieldNames: string[], bitmaps: unknown): string[] {
  const first = Array.isArray(bitmaps) ? bitmaps[0] : undefined;
  if (typeof first !== 'string' || !first.startsWith('0x')) return [];
  const bits = BigInt(first);
  return fieldNames.filter((_, i) => (bits >> BigInt(i)) & 1n);
}
