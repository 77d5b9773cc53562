// The Avro schemas of the topics the emulator serves, shaped as Salesforce generates them.
// - Change events (/data/<Object>ChangeEvent): record `<Object>ChangeEvent` in namespace
//   com.sforce.eventbus whose first field is ChangeEventHeader (entityName, recordIds, changeType,
//   changeOrigin, transactionKey, sequenceNumber, commitTimestamp, commitNumber, commitUser,
//   nulledFields, diffFields, changedFields — the order of "Change Event Message Structure",
//   https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_message_structure.htm),
//   then every record field as a nullable union; IsDeleted and SystemModstamp are not in change
//   events; date/time fields are epoch milliseconds ("Differences Between Change Events Received
//   with Streaming API vs. Pub/Sub API": "Date fields are in Epoch time",
//   https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/cdc_event_diff_pubsub_cometd.htm).
// - Platform events (/event/<Name>__e): CreatedDate (long) and CreatedById, then custom fields.
// The schema id is a fingerprint of the schema JSON (SchemaRequest.schema_id: "Schema
// fingerprint for this event, which is a hash of the schema", pubsub_api.proto).
import { createHash } from 'node:crypto';
import { objectDef, type FieldDef } from '../crm/metadata.js';
import { parseAvroSchema, type AvroType } from './avro.js';

export interface TopicSchema {
  id: string;
  json: string;
  type: AvroType;
  /** Top-level field names in schema order (the positions the changedFields bitmap uses). */
  fieldNames: string[];
}

const CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
  'SNAPSHOT',
];

const HEADER = {
  type: 'record',
  name: 'ChangeEventHeader',
  namespace: 'com.sforce.eventbus',
  fields: [
    { name: 'entityName', type: 'string' },
    { name: 'recordIds', type: { type: 'array', items: 'string' } },
    {
      name: 'changeType',
      type: {
        type: 'enum',
        name: 'ChangeType',
        namespace: 'com.sforce.eventbus',
        symbols: CHANGE_TYPES,
      },
    },
    { name: 'changeOrigin', type: 'string' },
    { name: 'transactionKey', type: 'string' },
    { name: 'sequenceNumber', type: 'int' },
    { name: 'commitTimestamp', type: 'long' },
    { name: 'commitNumber', type: 'long' },
    { name: 'commitUser', type: 'string' },
    { name: 'nulledFields', type: { type: 'array', items: 'string' } },
    { name: 'diffFields', type: { type: 'array', items: 'string' } },
    { name: 'changedFields', type: { type: 'array', items: 'string' } },
  ],
};

/** Fields a change event leaves out (Change Event Body Fields). */
const NOT_IN_CHANGE_EVENTS = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

export const avroPrimitive = (f: FieldDef): string =>
  f.type === 'boolean'
    ? 'boolean'
    : f.type === 'double'
      ? 'double'
      : f.type === 'int'
        ? 'int'
        : f.type === 'datetime'
          ? 'long'
          : 'string';

function build(schema: { fields: Array<{ name: string }> }): TopicSchema {
  const json = JSON.stringify(schema);
  return {
    id: createHash('sha256').update(json).digest('base64url').slice(0, 22),
    json,
    type: parseAvroSchema(schema),
    fieldNames: schema.fields.map((f) => f.name),
  };
}

export function changeEventSchema(objectName: string): TopicSchema {
  const obj = objectDef(objectName);
  if (!obj) throw new Error(`no metadata for ${objectName}`);
  return build({
    type: 'record',
    name: `${obj.name}ChangeEvent`,
    namespace: 'com.sforce.eventbus',
    fields: [
      { name: 'ChangeEventHeader', type: HEADER, doc: 'Data:ChangeEventHeader' } as {
        name: string;
      },
      ...obj.fields
        .filter((f) => !NOT_IN_CHANGE_EVENTS.has(f.name))
        .map((f) => ({ name: f.name, type: ['null', avroPrimitive(f)], default: null })),
    ],
  } as { fields: Array<{ name: string }> });
}

export interface PlatformEventField {
  name: string;
  type: 'string' | 'boolean' | 'long';
}

export function platformEventSchema(name: string, custom: PlatformEventField[]): TopicSchema {
  return build({
    type: 'record',
    name,
    namespace: 'com.sforce.eventbus',
    fields: [
      { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
      { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
      ...custom.map((f) => ({ name: f.name, type: ['null', f.type], default: null })),
    ],
  } as { fields: Array<{ name: string }> });
}
