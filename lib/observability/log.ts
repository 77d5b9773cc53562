// Structured logs (pino, JSON lines on stdout). One logger per process; the level comes from
// LOG_LEVEL (default info; the test setup sets silent). Nothing that identifies a person or
// grants access is ever logged: no tokens, passwords, bodies, usernames or emails — only
// request ids, operation names, statuses, durations, endpoint templates and error codes.
import { pino, type Logger, type DestinationStream } from 'pino';
import { processEnv, readEnv } from '../config/registry.js';

let current: Logger = pino({ level: readEnv(processEnv).get('LOG_LEVEL'), base: undefined });

export function log(): Logger {
  return current;
}

/** Redirects every log line (tests capture them this way). */
export function useLogDestination(stream: DestinationStream, level = 'info'): Logger {
  current = pino({ level, base: undefined }, stream);
  return current;
}
