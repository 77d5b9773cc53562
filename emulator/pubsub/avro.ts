// avro-js without its index: avro-js 1.12.2's index loads a deprecated validator that requires
// `underscore`, which the package does not declare (not installed here). The schema module alone
// parses schemas and encodes/decodes binary Avro, all the Pub/Sub API needs. (Loaded by path
// through require: the module ships no type declarations.)
import { createRequire } from 'node:module';

export interface AvroType {
  toBuffer(value: unknown): Buffer;
  fromBuffer(buffer: Buffer): unknown;
}

const load = createRequire(typeof __filename !== 'undefined' ? __filename : import.meta.url);
const avroSchemas = load('avro-js/lib/schemas') as { createType: (s: object) => AvroType };

export const parseAvroSchema = (schema: object): AvroType => avroSchemas.createType(schema);
