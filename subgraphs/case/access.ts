// Who may see which cases (PRODUCT.md, "Who may see what"): agents all, citizens their own
// (by principal.contactId), anonymous callers none.
import type { Principal } from '../../lib/principal.js';
import type { Context } from './context.js';
import type { CaseModel } from './mappers.js';

const CASE_ID = /^500[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;

/** May this principal see cases of this contact? */
export const maySeeContact = (p: Principal, contactId: string | null | undefined) =>
  p.kind === 'agent' || (p.kind === 'citizen' && !!contactId && contactId === p.contactId);

/** A case by id, or null when missing or not visible. */
export async function visibleCase(ctx: Context, id: string): Promise<CaseModel | null> {
  if (ctx.principal.kind === 'anonymous' || !CASE_ID.test(id)) return null;
  const c = await ctx.loaders.caseById.load(id);
  return c && maySeeContact(ctx.principal, c.ContactId) ? c : null;
}
