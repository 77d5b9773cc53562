// Retry stage: an idempotent call is repeated on a retryable failure (lib/resilience.ts
// isRetryable) with backoff and jitter, within the target's retry budget, never past the
// deadline nor after the client went away. Each repeated attempt is marked `retry`.
import { withRetry, type RetryBudgetLike, type RetryPolicy } from '../resilience.js';
import type { Stage } from './pipeline.js';

export interface RetryOptions {
  policy: RetryPolicy;
  budget: RetryBudgetLike;
  deadline?: number;
  signal?: AbortSignal;
}

export function retry(o: RetryOptions): Stage {
  return (next) => (call) => {
    o.budget.request();
    let attempt = 0;
    return withRetry(() => next({ ...call, retry: attempt++ > 0 }), o.policy, {
      deadline: o.deadline,
      signal: o.signal,
      mayRetry: () => o.budget.tryRetry(),
    });
  };
}
