// Pub/Sub API authentication: every RPC carries the org session in metadata headers —
// `accesstoken` (a core access token), `instanceurl` (the org's instance URL) and `tenantid`
// (the org id) ("Supported Authentication" / "Headers for RPC Method Calls", Pub/Sub API guide,
// https://developer.salesforce.com/docs/platform/pub-sub-api/guide/supported-auth.html).
// A missing, expired or revoked token is refused with gRPC status UNAUTHENTICATED and the
// custom error code `sfdc.platform.eventbus.grpc.service.auth.error` in the `error-code`
// trailer, the rpc id appended to the message after "rpcId: " and in an `rpc-id` trailer
// ("Handle Errors", https://developer.salesforce.com/docs/platform/pub-sub-api/guide/handling-errors.html).
import { randomUUID } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { EmulatorCore } from '../core/emulator-core.js';

export function rpcError(code: status, errorCode: string, message: string): ServiceError {
  const rpcId = randomUUID();
  const metadata = new Metadata();
  metadata.set('error-code', errorCode);
  metadata.set('rpc-id', rpcId);
  return Object.assign(new Error(`${message} rpcId: ${rpcId}`), {
    code,
    details: `${message} rpcId: ${rpcId}`,
    metadata,
  });
}

export const authError = () =>
  rpcError(
    status.UNAUTHENTICATED,
    'sfdc.platform.eventbus.grpc.service.auth.error',
    'An authentication exception occurred. Provide valid authentication via metadata headers.',
  );

const header = (m: Metadata, name: string) => {
  const v = m.get(name)[0];
  return typeof v === 'string' ? v : v?.toString();
};

/** The acting user's id when the metadata carries a live session of this org, else undefined. */
export function authenticate(core: EmulatorCore, metadata: Metadata): string | undefined {
  const token = header(metadata, 'accesstoken');
  const instanceUrl = header(metadata, 'instanceurl');
  const tenantId = header(metadata, 'tenantid');
  const rec = core.tokens.lookup(token, 'core-access');
  if (!rec || !instanceUrl) return undefined;
  const org = core.world.orgId;
  if (!tenantId || (tenantId !== org && tenantId !== org.slice(0, 15))) return undefined;
  return String(rec.subject.userId ?? '');
}
