// The shared secret that signs the gateway → subgraph principal, read once from the environment
// by every service's config. Outside production a well-known development value keeps
// `npm start` zero-config; in production a service refuses to start without a secret of its own:
// missing, shorter than 32 bytes, or any value published in this repository (.env.example, the
// compose file, the development default, the tests' secrets) is an error naming the variable.

/** Every PRINCIPAL_SECRET value that appears in the repository (test/principal-secret.test.ts keeps this list complete). */
export const PUBLISHED_PRINCIPAL_SECRETS: readonly string[] = [
  'dev-only-principal-secret-change-me',
  'change-me-in-production',
  'test-secret',
  'test-principal-secret',
  'ops-test-principal-secret',
];

export const DEV_PRINCIPAL_SECRET = PUBLISHED_PRINCIPAL_SECRETS[0];
export const MIN_PRINCIPAL_SECRET_BYTES = 32;

export function principalSecretFromEnv(env: NodeJS.ProcessEnv): string {
  const secret = env.PRINCIPAL_SECRET;
  if (env.NODE_ENV !== 'production') return secret || DEV_PRINCIPAL_SECRET;
  if (!secret) throw new Error('PRINCIPAL_SECRET must be set in production.');
  if (PUBLISHED_PRINCIPAL_SECRETS.includes(secret))
    throw new Error(
      'PRINCIPAL_SECRET is a value published in the repository; generate one (e.g. `openssl rand -base64 48`).',
    );
  if (Buffer.byteLength(secret, 'utf8') < MIN_PRINCIPAL_SECRET_BYTES)
    throw new Error(
      `PRINCIPAL_SECRET must be at least ${MIN_PRINCIPAL_SECRET_BYTES} bytes in production.`,
    );
  return secret;
}
