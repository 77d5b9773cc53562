// The running user's system permissions, as the org stores them: a user holds a permission when
// a PermissionSet that grants it is assigned to them (PermissionSetAssignment). A profile's
// permissions are a permission set too (IsOwnedByProfile), so one query answers both.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionset.htm
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
//
// Row access that depends on them: OauthToken. "Customize Application" lets a user see every
// user's OauthToken rows; without it a user sees only its own (the query answers 0 rows for
// anybody else, no error).
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
import type { EmulatorCore } from '../core/emulator-core.js';
import type { SObjectRecord } from './sobject-store.js';

/** Whether `userId` holds the system permission field `permission` (e.g. PermissionsCustomizeApplication). */
export function hasPermission(core: EmulatorCore, userId: string, permission: string): boolean {
  if (!userId) return false;
  for (const a of core.sobjects.findBy('PermissionSetAssignment', 'AssigneeId', userId)) {
    const set = core.sobjects.get('PermissionSet', String(a.PermissionSetId));
    if (set?.[permission] === true) return true;
  }
  return false;
}

/** The rows of `type` the running user may see, or undefined when it sees them all. */
export function rowAccess(
  core: EmulatorCore,
  type: string,
  userId: string,
): ((rec: SObjectRecord) => boolean) | undefined {
  if (type !== 'OauthToken') return undefined;
  if (hasPermission(core, userId, 'PermissionsCustomizeApplication')) return undefined;
  return (rec) => rec.UserId === userId;
}

/** The id of a permission set assigned to `userId` that grants `permission` (tests take it away). */
export function permissionSetGranting(
  core: EmulatorCore,
  userId: string,
  permission: string,
): string | undefined {
  for (const a of core.sobjects.findBy('PermissionSetAssignment', 'AssigneeId', userId)) {
    const set = core.sobjects.get('PermissionSet', String(a.PermissionSetId));
    if (set?.[permission] === true) return set.Id;
  }
  return undefined;
}
