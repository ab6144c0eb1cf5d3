/**
 * A pool created through ARM with most of what PoolProperties can hold answers in the spec's
 * shapes on both planes: ARM's Pool (without the secrets it was given) and the data plane's
 * CloudPool and ComputeNode, whose names and enum spellings differ from ARM's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { startSeeded } from '../world/sdk-helpers.js';
import type { SpecValidator } from './swagger.js';
import { SPEC, specValidator } from './specs.js';
import { API, wire, type Wire, type WireResponse } from './wire.js';

let sandbox: RunningSandbox;
let http: Wire;
let specs: SpecValidator;
let account: string;

beforeAll(async () => {
  specs = specValidator();
  sandbox = await startSeeded();
  http = await wire(sandbox);
  account = `/subscriptions/${sandbox.profile.subscriptionId ?? ''}/resourceGroups/rg-batch/providers/Microsoft.Batch/batchAccounts/batchhealthy`;
});
afterAll(async () => sandbox?.stop());

function check(spec: string, definition: string, response: WireResponse): Record<string, unknown> {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(specs.validate(spec, definition, response.body), definition).toEqual([]);
  return response.body as Record<string, unknown>;
}

const rich = (identityId: string, subnetId: string) => ({
  identity: { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } },
  properties: {
    displayName: 'Everything pool',
    vmSize: 'STANDARD_D4S_V3',
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: { publisher: 'canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts', version: 'latest' },
        nodeAgentSkuId: 'batch.node.ubuntu 22.04',
        dataDisks: [{ lun: 0, caching: 'ReadWrite', diskSizeGB: 64, storageAccountType: 'Premium_LRS' }],
        containerConfiguration: { type: 'DockerCompatible', containerImageNames: ['busybox'], containerRegistries: [{ registryServer: 'contoso.azurecr.io', identityReference: { resourceId: identityId } }, { registryServer: 'other.io', username: 'u', password: 'secret-registry-password' }] },
        diskEncryptionConfiguration: { targets: ['OsDisk', 'TemporaryDisk'] },
        nodePlacementConfiguration: { policy: 'Zonal' },
        extensions: [{ name: 'kv', publisher: 'Microsoft.Azure.KeyVault', type: 'KeyVaultForLinux', typeHandlerVersion: '2.0', autoUpgradeMinorVersion: true, settings: { secretsManagementSettings: {} }, protectedSettings: { secret: 'x' } }],
        osDisk: { ephemeralOSDiskSettings: { placement: 'CacheDisk' } },
      },
    },
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1, targetLowPriorityNodes: 1, resizeTimeout: 'PT10M' } },
    interNodeCommunication: 'Enabled',
    networkConfiguration: {
      subnetId,
      dynamicVnetAssignmentScope: 'none',
      endpointConfiguration: { inboundNatPools: [{ name: 'ssh', protocol: 'TCP', backendPort: 22, frontendPortRangeStart: 15000, frontendPortRangeEnd: 15100, networkSecurityGroupRules: [{ priority: 150, access: 'Allow', sourceAddressPrefix: '10.0.0.0/8', sourcePortRanges: ['*'] }] }] },
      publicIPAddressConfiguration: { provision: 'BatchManaged' },
    },
    taskSlotsPerNode: 2,
    taskSchedulingPolicy: { nodeFillType: 'Pack' },
    userAccounts: [{ name: 'admin1', password: 'secret-user-password', elevationLevel: 'Admin', linuxUserConfiguration: { uid: 1000, gid: 1000, sshPrivateKey: 'secret-key' } }],
    metadata: [{ name: 'team', value: 'render' }],
    startTask: {
      commandLine: '/bin/sh -c "env"',
      resourceFiles: [{ httpUrl: 'https://example.com/tool.sh', filePath: 'tool.sh', fileMode: '755' }],
      environmentSettings: [{ name: 'MODE', value: 'test' }],
      userIdentity: { autoUser: { scope: 'Task', elevationLevel: 'Admin' } },
      maxTaskRetryCount: 1,
      waitForSuccess: true,
      containerSettings: { imageName: 'busybox', workingDirectory: 'TaskWorkingDirectory' },
    },
    certificates: [{ id: `${account}/certificates/sha1-0123456789abcdef0123456789abcdef01234567`, storeLocation: 'LocalMachine', storeName: 'My', visibility: ['StartTask'] }],
    applicationPackages: [{ id: `${account}/applications/tools`, version: '1.0' }],
    applicationLicenses: ['arnold'],
    mountConfiguration: [
      { azureBlobFileSystemConfiguration: { accountName: 'stbatchauto', containerName: 'data', relativeMountPath: 'data', identityReference: { resourceId: identityId } } },
      { cifsMountConfiguration: { userName: 'share', source: '//server/share', relativeMountPath: 'share', password: 'secret-cifs-password' } },
      { nfsMountConfiguration: { source: 'server:/export', relativeMountPath: 'nfs' } },
    ],
  },
});

describe('a pool with most properties', () => {
  it('answers in the Pool, CloudPool and ComputeNode shapes, and never with its secrets', async () => {
    const identityId = [...sandbox.world.userAssignedIdentities.values()].find((i) => i.name === 'id-batch-nodes')?.id ?? '';
    const subnet = `/subscriptions/${sandbox.profile.subscriptionId ?? ''}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet/subnets/s`;
    const path = `${account}/pools/everything?api-version=${API.batch}`;
    const created = check(SPEC.batchManagement, 'Pool', await http.arm('PUT', path, rich(identityId, subnet)));
    const fetched = check(SPEC.batchManagement, 'Pool', await http.arm('GET', path));
    expect(JSON.stringify([created, fetched])).not.toMatch(/secret-|"protectedSettings"|"sshPrivateKey"/);

    sandbox.clock.advance(3_600_000);
    const data = check(SPEC.batchService, 'CloudPool', await http.batch('batchhealthy', 'GET', `/pools/everything?api-version=${API.batchData}`));
    expect(data).toMatchObject({
      virtualMachineConfiguration: { nodeAgentSKUId: 'batch.node.ubuntu 22.04', dataDisks: [{ caching: 'readwrite', storageAccountType: 'premium_lrs' }] },
      networkConfiguration: { endpointConfiguration: { inboundNATPools: [{ protocol: 'tcp' }] }, publicIPAddressConfiguration: { provision: 'batchmanaged' } },
      startTask: { userIdentity: { autoUser: { scope: 'task', elevationLevel: 'admin' } } },
      userAccounts: [{ elevationLevel: 'admin' }],
      taskSchedulingPolicy: { nodeFillType: 'pack' },
    });
    expect(JSON.stringify(data)).not.toMatch(/secret-|"protectedSettings"|"sshPrivateKey"/);
    const nodes = (await http.batch('batchhealthy', 'GET', `/pools/everything/nodes?api-version=${API.batchData}`)).body as { value: Array<{ id: string }> };
    expect(nodes.value).toHaveLength(2);
    for (const node of nodes.value) check(SPEC.batchService, 'ComputeNode', await http.batch('batchhealthy', 'GET', `/pools/everything/nodes/${node.id}?api-version=${API.batchData}`));
  });
});
