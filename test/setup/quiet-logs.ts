// Jest setup (setupFiles): services log JSON lines at info; tests keep the output readable.
// A test that asserts on logs captures them with useLogDestination (lib/observability/log.ts).
process.env.LOG_LEVEL ??= 'silent';
