// Breaker stage: every attempt goes through the target's circuit breaker, from the one registry
// keyed by target (lib/resilience.ts Breakers); an open circuit fails fast with CIRCUIT_OPEN.
import type { Breakers } from '../resilience.js';
import type { Stage } from './pipeline.js';

export function breaker(breakers: Breakers): Stage {
  return (next) => (call) => breakers.fire(call.target, call.key, () => next(call));
}
