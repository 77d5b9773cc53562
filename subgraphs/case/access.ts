// Who may see which cases (docs/salesforce/access-model.md#who-may-see-what): agents all, citizens
// their own (by principal.contactId), anonymous callers none.
import type { Principal } from '../../lib/principal.js';
import type { Context } from './context.js';
import { sfId } from './ids.js';
import type { CaseModel } from './mappers.js';

/** May this principal see cases of this contact? */
export const maySeeContact = (p: Principal, contactId: string | null | undefined) =>
  p.kind === 'agent' || (p.kind === 'citizen' && !!contactId && contactId === p.contactId);

/** A case by id, or null when missing or not visible. */
export async function visibleCase(ctx: Context, id: string): Promise<CaseModel | null> {
  // Not a Case id (wrong shape, prefix or case-safe suffix): null, and no upstream call.
  const caseId = sfId('Case', id);
  if (ctx.principal.kind === 'anonymous' || !caseId) return null;
  const c = await ctx.loaders.caseById.load(caseId);
  return c && maySeeContact(ctx.principal, c.ContactId) ? c : null;
}
