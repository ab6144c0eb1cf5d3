/**
 * The token check's engine with the gateway-backed ports, in process, as the Token screen will run
 * it: several nodes' IMDS one after another in one process (the direct GET), ARM and Storage
 * through the real SDK clients. Includes the two-identity pool asked with no selector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImdsGateway } from '../../source/azure/imds.js';
import { runTokenCheck } from '../../source/domain/token/check.js';
import type { ImdsSelector } from '../../source/domain/token/imds.js';
import { parseStorageUrl } from '../../source/domain/token/storage-url.js';
import type { Connection } from '../../source/cloud/connect.js';
import { armAccess, checkPorts } from '../../source/commands/validate-token-ports.js';
import { startStorageFixture, type StorageFixture } from '../azure/storage-fixture.js';

let fx: StorageFixture;
let url: string;

beforeAll(async () => {
  fx = await startStorageFixture();
  await fx.sandbox.ensureContainer('stbatchauto', 'inputs');
  url = `${fx.storage('stbatchauto').blobEndpoint}inputs`;
}, 120_000);
afterAll(() => fx?.embedded.stop());

async function check(account: string, pool: string, selector: ImdsSelector) {
  const parsed = parseStorageUrl(url);
  if (!parsed.ok) throw new Error(parsed.message);
  const endpoint = fx.sandbox.imds.hostFor(account, pool, fx.node(account, pool));
  // What armAccess needs of a connection: the profile and the clients cloud/ built.
  const connection = { profile: fx.profile, clients: fx.operator } as unknown as Connection;
  const ports = checkPorts(
    { kind: 'imds', imds: new ImdsGateway({ endpoint }), selector },
    parsed.value,
    await armAccess(connection),
    undefined,
  );
  return runTokenCheck(ports, {
    source: { kind: 'imds', selector, endpoint },
    target: parsed.value,
    storageUrl: url,
    tenantId: fx.profile.tenantId,
  });
}

describe('the token check over the sandbox, node after node in one process', () => {
  it('explains the IMDS 400 of the two-identity pool asked for no identity (MI008)', async () => {
    const report = await check('batchhealthy', 'two-identities', {});
    const [acquire, claims, storage, rbac] = report.steps;
    expect(acquire).toMatchObject({ step: 'acquire', status: 'fail', rule: 'MI008' });
    expect(acquire?.reason).toContain(
      'IMDS answered 400: "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"',
    );
    expect(acquire?.reason).toContain(
      'the node has several user-assigned identities and the request named none',
    );
    expect(acquire?.fix).toMatch(/client_id=<client id> or msi_res_id=<resource id>/);
    expect([claims?.status, storage?.status, rbac?.status]).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(report.passed).toBe(false);
  });

  it('passes on the same node once the identity is named', async () => {
    const report = await check('batchhealthy', 'two-identities', {
      clientId: fx.identity('id-batch-nodes').clientId,
    });
    expect(report.steps.map((s) => s.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('fails at storage for the other identity of that node, which has no role on autostorage', async () => {
    const workload = fx.identity('id-workload');
    const report = await check('batchhealthy', 'two-identities', { resourceId: workload.id });
    expect(report.steps.map((s) => s.status)).toEqual(['pass', 'pass', 'fail', 'fail']);
    expect(report.steps[2]?.fix).toContain(`--assignee-object-id ${workload.principalId}`);
  });

  it("says the identity is not on a node that does not have it (the pool's other identity)", async () => {
    const report = await check('batchhealthy', 'packages-other-identity', {
      clientId: fx.identity('id-batch-nodes').clientId,
    });
    expect(report.steps[0]?.reason).toMatch(/IMDS answered 400: "Identity not found"/);
    // The identity is known to ARM, so its roles are still checked: it could read, were it on the node.
    expect(report.steps[3]).toMatchObject({ step: 'rbac', status: 'pass' });
  });
});
