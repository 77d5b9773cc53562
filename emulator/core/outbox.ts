// One-time passcodes that a real org would send by email or SMS. Tests and demos read them
// from /__emulator/outbox instead of a mailbox.
export interface OutboxMessage {
  to: string;
  channel: 'email' | 'sms';
  purpose: 'registration' | 'forgot_password' | 'passwordless_login';
  otp: string;
  identifier?: string;
  sentAt: string;
}

export class Outbox {
  private messages: OutboxMessage[] = [];

  send(message: Omit<OutboxMessage, 'sentAt'>): void {
    this.messages.push({ ...message, sentAt: new Date().toISOString() });
  }

  list(to?: string): OutboxMessage[] {
    return to
      ? this.messages.filter((m) => m.to.toLowerCase() === to.toLowerCase())
      : [...this.messages];
  }

  /** The newest passcode sent to an address, if any. */
  latest(to: string): OutboxMessage | undefined {
    return this.list(to).at(-1);
  }

  reset(): void {
    this.messages = [];
  }
}
