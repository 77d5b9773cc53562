// Configuration of the Customer subgraph. The only reader of process.env; defaults point at the
// local emulator and its demo integration client.
import { principalSecretFromEnv } from '../../lib/principal-secret.js';
export interface CustomerConfig {
  port: number;
  /** Interface to listen on (0.0.0.0 in containers). */
  host: string;
  principalSecret: string;
  /** Core org login host (client credentials must use My Domain on a real org). */
  crmLoginUrl: string;
  crmClientId: string;
  crmClientSecret: string;
  /** Core REST API version for the Connect /ssot calls. */
  apiVersion: string;
  /**
   * Data Cloud tenant endpoint (https://{tse}). Null: use `https://${instance_url}` from the
   * token exchange, as a real org requires.
   */
  dataCloudTenantUrl: string | null;
  timeoutMs: number;
  /** Token exchange and OAuth calls get their own, usually longer, timeout. */
  authTimeoutMs: number;
}

export function loadCustomerConfig(env: NodeJS.ProcessEnv): CustomerConfig {
  const tenant = env.DATA_CLOUD_TENANT_URL;
  return {
    port: Number(env.CUSTOMER_PORT ?? 4001),
    host: env.HOST ?? '127.0.0.1',
    principalSecret: principalSecretFromEnv(env),
    crmLoginUrl: env.CRM_LOGIN_URL ?? 'http://127.0.0.1:4010/crm',
    crmClientId: env.CRM_CLIENT_ID ?? '3MVG9C360IntegrationClientDemoKey',
    crmClientSecret: env.CRM_CLIENT_SECRET ?? 'c360-integration-secret',
    apiVersion: env.CRM_API_VERSION ?? 'v62.0',
    dataCloudTenantUrl:
      tenant === undefined ? 'http://127.0.0.1:4010/datacloud' : tenant.trim() || null,
    timeoutMs: Number(env.CUSTOMER_UPSTREAM_TIMEOUT_MS ?? 5000),
    authTimeoutMs: Number(env.CUSTOMER_AUTH_TIMEOUT_MS ?? 10000),
  };
}
