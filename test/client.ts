// Small helpers for talking to the gateway in tests.
import request from 'supertest';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Stack } from './harness.js';

export interface GraphQLBody<R = any> {
  data?: R;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, any>;
  }>;
  extensions?: Record<string, any>;
}

/** Sends an operation: a typed document from gql/ (the canonical operations) or a string. */
export async function gql<R = any, V = Record<string, unknown>>(
  stack: Stack,
  query: TypedDocumentNode<R, V> | string,
  variables: V | Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLBody<R> }> {
  const text = typeof query === 'string' ? query : print(query);
  const res = await request(stack.gatewayUrl)
    .post('/graphql')
    .set(headers)
    .send({ query: text, variables });
  return { status: res.status, body: res.body };
}

/** Signs a citizen in through the graph's login mutation and returns the bearer header. */
export async function loginAs(
  stack: Stack,
  username: string,
  password: string,
): Promise<Record<string, string>> {
  const res = await gql(
    stack,
    /* GraphQL */ `
      mutation ($u: String!, $p: String!) {
        login(input: { username: $u, password: $p }) {
          session {
            accessToken
          }
          userErrors {
            code
            message
          }
        }
      }
    `,
    { u: username, p: password },
  );
  const token = res.body.data?.login?.session?.accessToken;
  if (!token) throw new Error(`login failed for ${username}: ${JSON.stringify(res.body)}`);
  return { authorization: `Bearer ${token}` };
}

/** An agent token: the integration client's client-credentials token (how an agent console or back office signs in). */
export async function agentHeaders(stack: Stack): Promise<Record<string, string>> {
  const { world } = stack.emulator.core;
  const res = await request(stack.env.CRM_LOGIN_URL!)
    .post('/services/oauth2/token')
    .type('form')
    .send({
      grant_type: 'client_credentials',
      client_id: world.integration.clientId,
      client_secret: world.integration.clientSecret,
    });
  if (!res.body.access_token)
    throw new Error(`client credentials failed: ${res.status} ${res.text}`);
  return { authorization: `Bearer ${res.body.access_token}` };
}
