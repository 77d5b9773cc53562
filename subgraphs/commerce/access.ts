// Who may see or change which shopper's cart and orders
// (docs/salesforce/access-model.md#who-may-see-what). Decided from the principal and the
// representation alone, before any upstream call.
import type { Principal } from '../../lib/principal.js';
import type { ShopperKey } from './loaders.js';
import type { CitizenModel } from './mappers.js';

/** The shopper whose data the principal may read through this Citizen, or null. */
export function readableShopper(principal: Principal, citizen: CitizenModel): ShopperKey | null {
  if (principal.kind === 'agent') {
    // The representation's login must be its customer's: the client checks the SLAS token's
    // customer id against this one before any read (ShopperMismatchError → no data).
    return citizen.commerceLogin
      ? { customerId: citizen.commerceCustomerId, login: citizen.commerceLogin }
      : null;
  }
  if (principal.kind !== 'citizen') return null;
  if (!principal.commerceCustomerId || principal.commerceCustomerId !== citizen.commerceCustomerId)
    return null;
  // A citizen acts with the login the gateway signed for them, never one from a representation:
  // without a signed login there is no shopper (and no SCAPI call).
  const login = principal.commerceLogin;
  return login ? { customerId: principal.commerceCustomerId, login } : null;
}

/** The signed-in citizen as a shopper (mutations act for them only), or null. */
export function actingShopper(principal: Principal): ShopperKey | null {
  if (principal.kind !== 'citizen' || !principal.commerceCustomerId || !principal.commerceLogin)
    return null;
  return { customerId: principal.commerceCustomerId, login: principal.commerceLogin };
}
