// The principals tests sign: what the gateway would put into x-c360-principal for a seeded
// citizen (its CRM user and contact, Data Cloud and Commerce ids, and the shopper login SLAS needs).
import type { CitizenIdentity } from '../../emulator/world.js';
import type { CitizenPrincipal } from '../../lib/principal.js';

/** The seeded citizen's fields a principal carries. */
export type PrincipalSource = Pick<
  CitizenIdentity,
  'userId' | 'username' | 'contactId' | 'unifiedId' | 'commerceCustomerId' | 'email'
>;

/**
 * The signed-in citizen `c` as the gateway resolves them. `commerceLogin: false` leaves the
 * shopper login out (a principal the Commerce subgraph cannot act for).
 */
export function citizenPrincipal(
  c: PrincipalSource,
  o: { commerceLogin?: boolean } = {},
): CitizenPrincipal {
  return {
    kind: 'citizen',
    userId: c.userId,
    username: c.username,
    contactId: c.contactId,
    unifiedId: c.unifiedId,
    commerceCustomerId: c.commerceCustomerId,
    ...(o.commerceLogin === false ? {} : { commerceLogin: c.email }),
  };
}
