/**
 * The sandbox's Batch data-plane answers (BatchService.json 2022-10-01.16.0) walked through the
 * spec's definitions: pools, nodes in every state the seeded world reaches, the upload of service
 * logs, and BatchError for each kind of refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { SEED } from '../../../source/sandbox/world/seed.js';
import { startSeeded } from '../world/sdk-helpers.js';
import type { SpecValidator } from './swagger.js';
import { SPEC, specValidator } from './specs.js';
import { API, wire, type Wire, type WireResponse } from './wire.js';

let sandbox: RunningSandbox;
let http: Wire;
let specs: SpecValidator;

beforeAll(async () => {
  specs = specValidator();
  sandbox = await startSeeded();
  sandbox.clock.advance(60 * 60_000);
  http = await wire(sandbox);
});
afterAll(async () => sandbox?.stop());

function check(definition: string, response: WireResponse, status = 200): Record<string, unknown> {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(specs.validate(SPEC.batchService, definition, response.body), `${definition} ${JSON.stringify(response.body).slice(0, 400)}`).toEqual([]);
  return response.body as Record<string, unknown>;
}

const v = (path: string) => `${path}${path.includes('?') ? '&' : '?'}api-version=${API.batchData}`;
const ACCOUNTS = ['batchhealthy', 'batchnorole', 'batchnoref', 'batchfirewall', 'batchcmk', 'batchcmknoaccess'];

describe('Batch data-plane responses validate against BatchService.json', () => {
  it('pools (CloudPoolListResult, CloudPool) and nodes in every state (ComputeNodeListResult, ComputeNode)', async () => {
    const states = new Set<string>();
    for (const account of ACCOUNTS) {
      const pools = check('CloudPoolListResult', await http.batch(account, 'GET', v('/pools')));
      for (const pool of pools.value as Array<{ id: string }>) {
        check('CloudPool', await http.batch(account, 'GET', v(`/pools/${pool.id}`)));
        const nodes = check('ComputeNodeListResult', await http.batch(account, 'GET', v(`/pools/${pool.id}/nodes`)));
        for (const node of nodes.value as Array<{ id: string; state: string }>) {
          states.add(node.state);
          check('ComputeNode', await http.batch(account, 'GET', v(`/pools/${pool.id}/nodes/${node.id}`)));
        }
      }
    }
    expect([...states].sort()).toEqual(['idle', 'starting', 'starttaskfailed', 'unusable']);
  });

  it('a page of the 10,000-node pool with $select, maxresults and odata.nextLink', async () => {
    const page = check('ComputeNodeListResult', await http.batch('batchscale', 'GET', v('/pools/render-farm/nodes?$select=id,state&maxresults=1000')));
    expect(page['odata.nextLink']).toMatch(/^https:\/\//);
    check('CloudPoolListResult', await http.batch('batchscale', 'GET', v('/pools?$select=id,currentDedicatedNodes')));
  });

  it('uploadbatchservicelogs (UploadBatchServiceLogsResult)', async () => {
    const node = (check('ComputeNodeListResult', await http.batch('batchhealthy', 'GET', v('/pools/packages-same-identity/nodes'))).value as Array<{ id: string }>)[0];
    const identity = [...sandbox.world.userAssignedIdentities.values()].find((i) => i.name === 'id-batch-nodes');
    const logs = [...sandbox.world.storageAccounts.values()].find((s) => s.name === 'stbatchlogs');
    const body = { containerUrl: `${logs?.blobEndpoint ?? ''}service-logs`, startTime: new Date(sandbox.clock.now() - 3_600_000).toISOString(), identityReference: { resourceId: identity?.id } };
    const result = check('UploadBatchServiceLogsResult', await http.batch('batchhealthy', 'POST', v(`/pools/packages-same-identity/nodes/${node?.id ?? ''}/uploadbatchservicelogs`), body));
    expect(result.numberOfFilesUploaded).toBeGreaterThan(0);
  });

  it('errors (BatchError): not found, bad query, bad body, wrong audience, not authorized', async () => {
    check('BatchError', await http.batch('batchhealthy', 'GET', v('/pools/nope')), 404);
    check('BatchError', await http.batch('batchhealthy', 'GET', v('/pools/two-identities/nodes/nope')), 404);
    check('BatchError', await http.batch('batchhealthy', 'GET', v("/pools/two-identities/nodes?$filter=state eq")), 400);
    check('BatchError', await http.batch('batchhealthy', 'GET', v('/pools?maxresults=0')), 400);
    check('BatchError', await http.batch('batchhealthy', 'GET', '/pools?api-version=1999-01-01.0.0'), 400);
    const nodes = check('ComputeNodeListResult', await http.batch('batchhealthy', 'GET', v('/pools/two-identities/nodes')));
    const nodeId = (nodes.value as Array<{ id: string }>)[0]?.id ?? '';
    check('BatchError', await http.batch('batchhealthy', 'POST', v(`/pools/two-identities/nodes/${nodeId}/uploadbatchservicelogs`), { startTime: '2024-01-01T00:00:00Z' }), 400);
    const reader = await wire(sandbox, SEED.reader);
    check('BatchError', await reader.batch('batchhealthy', 'POST', v(`/pools/two-identities/nodes/${nodeId}/uploadbatchservicelogs`), { containerUrl: 'https://x/y', startTime: '2024-01-01T00:00:00Z' }), 403);
    const endpoint = [...sandbox.world.batchAccounts.values()].find((a) => a.name === 'batchhealthy')?.accountEndpoint ?? '';
    const anonymous = await fetch(`https://${endpoint}${v('/pools')}`);
    check('BatchError', { status: anonymous.status, headers: anonymous.headers, body: await anonymous.json() }, 401);
  });
});
