// The org's daily API request allowance: every core REST call counts, and once it is spent the
// org answers 403 REQUEST_LIMIT_EXCEEDED
// (docs/salesforce/crm-rest.md#limits-and-sforce-limit-info).
export class ApiUsage {
  used = 0;
  constructor(public max = 15_000) {}

  /** Counts one call; returns false when the allowance is already spent. */
  spend(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  reset(max = this.max): void {
    this.used = 0;
    this.max = max;
  }
}
