// The shared secret that signs the gateway → subgraph principal. Its variable, PRINCIPAL_SECRET,
// is declared in lib/config/registry.ts: outside production a well-known development value keeps
// `npm start` zero-config; in production a service refuses to start without a secret of its own
// (missing, shorter than 32 bytes, or any value published in this repository: .env.example, the
// compose file, the development default, the tests' secrets), and in every mode a published value
// is refused as soon as a service listens beyond loopback (lib/env.ts principalSecretFor).

/** Every PRINCIPAL_SECRET value that appears in the repository (test/security/production-secrets.test.ts keeps this list complete). */
export const PUBLISHED_PRINCIPAL_SECRETS: readonly string[] = [
  'dev-only-principal-secret-change-me',
  'change-me-in-production',
  'test-secret',
  'test-principal-secret',
  'ops-test-principal-secret',
];

export const DEV_PRINCIPAL_SECRET = PUBLISHED_PRINCIPAL_SECRETS[0];
export const MIN_PRINCIPAL_SECRET_BYTES = 32;
