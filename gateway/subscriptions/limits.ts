// How many live subscriptions one connection and one principal may hold at once.
import { GraphQLError } from 'graphql';
import type { Principal } from '../../lib/principal.js';

export interface SubscriptionLimits {
  perConnection: number;
  perPrincipal: number;
}

const principalKey = (p: Principal) =>
  p.kind === 'citizen'
    ? `citizen:${p.userId}`
    : p.kind === 'agent'
      ? `agent:${p.userId ?? p.clientId}`
      : 'anonymous';

export class SubscriptionCounter {
  private byPrincipal = new Map<string, number>();
  constructor(private readonly limits: SubscriptionLimits) {}

  /** Takes a slot for a principal (and its connection's count); returns its release. */
  acquire(p: Principal, connection: { count: number }): () => void {
    const key = principalKey(p);
    const held = this.byPrincipal.get(key) ?? 0;
    if (connection.count >= this.limits.perConnection || held >= this.limits.perPrincipal)
      throw new GraphQLError('Too many live subscriptions.', {
        extensions: { code: 'RATE_LIMITED' },
      });
    connection.count++;
    this.byPrincipal.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      connection.count--;
      const n = (this.byPrincipal.get(key) ?? 1) - 1;
      if (n) this.byPrincipal.set(key, n);
      else this.byPrincipal.delete(key);
    };
  }
}
