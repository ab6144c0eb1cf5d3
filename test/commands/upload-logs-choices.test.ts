/**
 * `batch-mi-tui upload-logs`, built, against the sandbox: the human output, the identity and
 * container chosen for the operator, the static write check before anything is created, inputs
 * refused in one sentence, the bounded wait, and a container the operator may not list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationGateway } from '../../source/azure/authorization.js';
import { StorageGateway } from '../../source/azure/storage.js';
import { BUILT_IN_ROLE_IDS } from '../../source/domain/model.js';
import { oneSentence } from './built-program.js';
import { startCommandFixture, type CommandFixture } from './validate-token-fixture.js';

let fx: CommandFixture;
let logsUrl: string;

beforeAll(async () => {
  fx = await startCommandFixture();
  await fx.grantOperator('stbatchlogs', 'Storage Blob Data Reader');
  await fx.sandbox.ensureContainer('stbatchlogs', 'node-logs');
  logsUrl = `${fx.storage('stbatchlogs').blobEndpoint}node-logs`;
}, 120_000);
afterAll(async () => {
  await fx?.embedded.stop();
  fx?.files.remove();
});

const upload = (account: string, pool: string, ...more: string[]) =>
  fx.cli([
    'upload-logs',
    '--account',
    account,
    '--pool',
    pool,
    '--node',
    fx.node(account, pool),
    ...more,
  ]);

describe('the human output and the choices made for the operator', () => {
  it('lists the files and quotes the line that explains the node (A3)', async () => {
    const r = await upload(
      'batchnoref',
      'packages-no-reference',
      '--container-url',
      logsUrl,
      '--since',
      '48h',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--since 48h is over 24 hours/);
    expect(r.stderr).toMatch(/\(the pool's only identity\)/);
    expect(r.stdout).toMatch(/^ {2}agent-debug\.log +\d+(\.\d)? KiB$/m);
    expect(r.stdout).toMatch(/^MI003 agent-debug\.log line \d+ \(×\d+, lines \d+–\d+\):$/m);
    expect(r.stdout).toContain('pool not fully joined yet, health=Status.TvmJoinPoolInProgress');
    expect(r.stdout).toContain(
      'Run `batch-mi-tui doctor --account batchnoref --pool packages-no-reference` for the fix.',
    );
  });

  it('refuses the default autostorage container for a node identity that may only read it, before creating anything', async () => {
    const nodes = fx.identity('id-batch-nodes');
    // The seed lets every node identity write to batch-logs (for logs out of the box): an owner
    // takes that role away first, so that id-batch-nodes may only read autostorage again.
    const arm = fx.operator.authorization();
    const logsScope = `${fx.storage('stbatchauto').id}/blobServices/default/containers/batch-logs`;
    for await (const a of arm.roleAssignments.listForScope(logsScope, {
      filter: `assignedTo('${nodes.principalId}')`,
    }))
      if (a.scope?.toLowerCase() === logsScope.toLowerCase())
        await arm.roleAssignments.deleteById(a.id ?? '');
    const r = await upload('batchhealthy', 'packages-same-identity');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      "Identity id-batch-nodes (the account's node identity reference) may not write to container batch-logs of stbatchauto: ✗ it holds Storage Blob Data Reader.",
    );
    expect(r.stderr).toContain(
      `az role assignment create --assignee-object-id ${nodes.principalId} --assignee-principal-type ServicePrincipal --role "Storage Blob Data Contributor" --scope ${fx.storage('stbatchauto').id}`,
    );
    expect(
      await new StorageGateway(
        fx.operator.blobService(fx.storage('stbatchauto').blobEndpoint),
      ).containerExists('batch-logs'),
    ).toBe(false);
  });

  it.each([
    [
      'an identity that is not on the pool',
      () => [
        '--identity',
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-other',
      ],
      /^batch-mi-tui: Identity id-other is not on pool 'packages-same-identity'/,
    ],
    [
      'a container that does not exist',
      () => ['--container-url', `${logsUrl}-missing`],
      /Container node-logs-missing does not exist in storage account stbatchlogs/,
    ],
  ])('refuses %s in one sentence, exit 2', async (_what, more, message) => {
    const r = await upload('batchhealthy', 'packages-same-identity', ...more());
    expect(r.code).toBe(2);
    expect(
      oneSentence(
        r.stderr
          .split('\n')
          .filter((l) => !l.startsWith('Identity '))
          .join('\n'),
      ),
    ).toBe(true);
    expect(r.stderr).toMatch(message);
  });

  it('refuses an unknown node in one sentence, exit 2', async () => {
    const r = await fx.cli([
      'upload-logs',
      '--account',
      'batchhealthy',
      '--pool',
      'packages-same-identity',
      '--node',
      'tvm-nope',
      '--container-url',
      logsUrl,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "batch-mi-tui: There is no node 'tvm-nope' in pool 'packages-same-identity'.\n",
    );
  });

  it('says where the logs went when the operator may not list them, exit 2', async () => {
    // id-workload may write to autostorage here; the operator holds no data role there (the
    // seed gives it Storage Blob Data Contributor on autostorage, for logs: an owner removes it).
    const authorization = new AuthorizationGateway(fx.operator.authorization());
    const auto = fx.storage('stbatchauto');
    const arm = fx.operator.authorization();
    for await (const a of arm.roleAssignments.listForScope(auto.id, {
      filter: `assignedTo('${fx.operatorObjectId}')`,
    }))
      if (
        a.scope?.toLowerCase() === auto.id.toLowerCase() &&
        a.roleDefinitionId?.endsWith(BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'])
      )
        await arm.roleAssignments.deleteById(a.id ?? '');
    await authorization.createRoleAssignment({
      scope: auto.id,
      roleDefinitionId: BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'],
      principalId: fx.identity('id-workload').principalId,
      principalType: 'ServicePrincipal',
    });
    await fx.sandbox.ensureContainer('stbatchauto', 'node-logs');
    const r = await upload(
      'batchhealthy',
      'packages-other-identity',
      '--container-url',
      `${auto.blobEndpoint}node-logs`,
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /batch-mi-tui: the node is uploading to .*\/stbatchauto\/node-logs\/packages-other-identity\/.+\/, but the files cannot be listed\.\n/,
    );
    expect(r.stderr).toMatch(
      /storage account stbatchauto refused it: your identity has no Storage Blob Data role that allows blobs\/read \(AuthorizationPermissionMismatch\)\. Ask an owner for "Storage Blob Data Reader"/,
    );
  });

  it('stops waiting after the bounded time and says why files may be missing (storage firewall)', async () => {
    // The identity may write to the firewalled account, but the pool's subnet is not allowed:
    // the node's writes are refused, the call itself succeeded (as on Azure).
    const authorization = new AuthorizationGateway(fx.operator.authorization());
    const firewalled = fx.storage('stbatchfirewall');
    await authorization.createRoleAssignment({
      scope: firewalled.id,
      roleDefinitionId: BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'],
      principalId: fx.identity('id-batch-nodes').principalId,
      principalType: 'ServicePrincipal',
    });
    await fx.grantOperator('stbatchfirewall', 'Storage Blob Data Reader');
    await fx.sandbox.ensureContainer('stbatchfirewall', 'fw-logs');
    // The firewall refuses every caller it does not list, the operator's machine too (127.0.0.1
    // here): the operator adds its own address, as the portal's "Add your client IP address" does.
    const firewall = [...fx.sandbox.world.storageAccounts.values()].find(
      (a) => a.name === 'stbatchfirewall',
    );
    firewall?.networkRuleSet.ipRules.push({ value: '127.0.0.1', action: 'Allow' });
    const r = await fx.cli(
      [
        'upload-logs',
        '--account',
        'batchfirewall',
        '--pool',
        'subnet-not-allowed',
        '--node',
        fx.node('batchfirewall', 'subnet-not-allowed'),
        '--container-url',
        `${firewalled.blobEndpoint}fw-logs`,
      ],
      { BATCH_MI_TUI_UPLOAD_TIMEOUT: '2' },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /batch-mi-tui: After 2s, 0 of 4 files are in .*fw-logs\/subnet-not-allowed\/.+\/: the node may still be uploading/,
    );
  });
});
