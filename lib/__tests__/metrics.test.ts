// GET /metrics is not public, and its operation labels are a closed set.
import express from 'express';
import request from 'supertest';
import type { Request, Response } from 'express';
import { join } from 'node:path';
import { ServiceMetrics, trustedOperationNames } from '../observability/metrics.js';
import { REPOSITORY_ROOT } from '../graphql/subgraph-sdl.js';

const appWith = (m: ServiceMetrics) => express().get('/metrics', m.handler());

test('with METRICS_TOKEN, /metrics answers only the bearer of that token', async () => {
  const app = appWith(new ServiceMetrics('t', { token: 'scrape-token-of-this-deployment' }));
  expect((await request(app).get('/metrics')).status).toBe(401);
  expect(
    (
      await request(app)
        .get('/metrics')
        .set('authorization', 'Bearer scrape-token-of-this-deploymenT')
    ).status,
  ).toBe(401);
  const ok = await request(app)
    .get('/metrics')
    .set('authorization', 'Bearer scrape-token-of-this-deployment');
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('graphql_requests_total');
});

test('without METRICS_TOKEN, /metrics answers loopback clients only (the socket address)', async () => {
  const handler = new ServiceMetrics('t').handler();
  const answer = async (remoteAddress: string, forwardedFor?: string) => {
    let status = 200;
    const res = {
      status(s: number) {
        status = s;
        return res;
      },
      set: () => res,
      json: () => res,
      send: () => res,
    } as unknown as Response;
    const req = {
      socket: { remoteAddress },
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    } as unknown as Request;
    await handler(req, res);
    return status;
  };
  expect(await answer('127.0.0.1')).toBe(200);
  expect(await answer('::1')).toBe(200);
  expect(await answer('::ffff:127.0.0.1')).toBe(200);
  expect(await answer('10.1.2.3')).toBe(403);
  expect(await answer('203.0.113.9', '127.0.0.1')).toBe(403);
});

test('operation labels: trusted document names, "anonymous", else "other"', () => {
  const names = trustedOperationNames([
    join(REPOSITORY_ROOT, 'gql/persisted-documents.json'),
    join(REPOSITORY_ROOT, 'no-such-manifest.json'),
  ]);
  expect(names.has('CitizenProfile')).toBe(true);
  const m = new ServiceMetrics('t', { operations: names });
  expect(m.operationLabel('CitizenProfile')).toBe('CitizenProfile');
  expect(m.operationLabel('CitizenProfile__customer__0')).toBe('CitizenProfile');
  expect(m.operationLabel(undefined)).toBe('anonymous');
  for (let i = 0; i < 500; i++) expect(m.operationLabel(`Attacker${i}`)).toBe('other');
});
