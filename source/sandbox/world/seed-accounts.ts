/**
 * The seeded accounts and pools. Each row of RULES.md §1 tables A and B is its own pool, and the
 * rows differ exactly in what the table says: the account's nodeIdentityReference, that
 * identity's data role on autostorage, and the pool's identities.
 *
 * Logs, set up as an operator who runs this world would have: the operator holds Storage Blob
 * Data Contributor on each autostorage account (to create and read the `batch-logs` container),
 * and every identity a pool's nodes hold may write to `batch-logs` there
 * (uploadbatchservicelogs: "The identity must have write access to the Azure Blob Storage
 * container"). Those write roles are on that one container, so they change nothing the tables
 * are about: what a node identity may READ in the package containers and in `inputs`.
 */
import type { World } from './world.js';
import { ROLE } from './roles.js';
import { addAccount, addActivePackage, addIdentity, addPool, addStorage, addVault, assign, keyIdentifier, type Place } from './seed-build.js';
import { containerScope } from './access.js';

const SUBNET = (place: Place, name: string) =>
  `/subscriptions/${place.subscriptionId}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-batch/subnets/${name}`;

const nodes = (n: number) => ({ scaleSettings: { fixedScale: { targetDedicatedNodes: n, targetLowPriorityNodes: 0 } } });
const packagesOf = (accountId: string) => ({ applicationPackages: [{ id: `${accountId}/applications/tools`, version: '1.0' }] });
const startTaskWith = (resourceFiles: Array<Record<string, unknown>>) => ({ startTask: { commandLine: '/bin/sh -c "cat input/settings.json"', resourceFiles, waitForSuccess: true, maxTaskRetryCount: 0, userIdentity: { autoUser: { scope: 'Pool', elevationLevel: 'NonAdmin' } } } });
const autoStorageStartTask = startTaskWith([{ autoStorageContainerName: 'inputs', filePath: 'input' }]);

/** The container the program uploads node logs to by default, in the account's autostorage. */
export const LOGS_CONTAINER = 'batch-logs';

export function seedAccounts(world: World, place: Place, identityPlace: Place, operatorObjectId: string): void {
  const nodeIdentity = addIdentity(world, identityPlace, 'id-batch-nodes');
  const nodeIdentityNoRole = addIdentity(world, identityPlace, 'id-batch-nodes-norole');
  const otherIdentity = addIdentity(world, identityPlace, 'id-workload');
  const accountIdentity = addIdentity(world, identityPlace, 'id-batch-account');
  const accountIdentityNoRole = addIdentity(world, identityPlace, 'id-batch-account-norole');
  const cmkIdentity = addIdentity(world, identityPlace, 'id-batch-cmk');
  const cmkIdentityNoKey = addIdentity(world, identityPlace, 'id-batch-cmk-nokey');

  const autoStorage = addStorage(world, place, 'stbatchauto');
  const firewalled = addStorage(world, place, 'stbatchfirewall', { allowedSubnets: [SUBNET(place, 'snet-allowed')] });
  const logs = addStorage(world, place, 'stbatchlogs');
  for (const storage of [autoStorage, firewalled]) {
    assign(world, nodeIdentity.principalId, ROLE.storageBlobDataReader, storage.id);
    assign(world, accountIdentity.principalId, ROLE.storageBlobDataContributor, storage.id);
  }
  for (const id of [nodeIdentity, nodeIdentityNoRole, otherIdentity]) assign(world, id.principalId, ROLE.storageBlobDataContributor, logs.id);
  // Logs (see above): the operator on both autostorage accounts; the node identities on batch-logs only.
  for (const storage of [autoStorage, firewalled]) assign(world, operatorObjectId, ROLE.storageBlobDataContributor, storage.id);
  for (const id of [nodeIdentity, nodeIdentityNoRole, otherIdentity]) assign(world, id.principalId, ROLE.storageBlobDataContributor, containerScope(autoStorage, LOGS_CONTAINER));
  assign(world, nodeIdentity.principalId, ROLE.storageBlobDataContributor, containerScope(firewalled, LOGS_CONTAINER));

  // Table A rows 1 and 4, Table B rows 1 and 4: the reference is set and holds a data role.
  const healthy = addAccount(world, place, 'batchhealthy', {
    identityIds: [accountIdentity.id],
    autoStorage: { storageAccountId: autoStorage.id, authenticationMode: 'BatchAccountManagedIdentity', nodeIdentityReference: { resourceId: nodeIdentity.id } },
  });
  addActivePackage(world, healthy, 'tools', '1.0');
  addPool(world, healthy, 'packages-same-identity', { ...nodes(2), ...packagesOf(healthy.id) }, [nodeIdentity.id]); // A1
  addPool(world, healthy, 'packages-other-identity', { ...nodes(2), ...packagesOf(healthy.id) }, [otherIdentity.id]); // A4
  addPool(world, healthy, 'starttask-same-identity', { ...nodes(2), ...autoStorageStartTask }, [nodeIdentity.id]); // B1
  addPool(world, healthy, 'starttask-other-identity', { ...nodes(2), ...autoStorageStartTask }, [otherIdentity.id]); // B4
  addPool(world, healthy, 'two-identities', nodes(2), [nodeIdentity.id, otherIdentity.id]); // MI008
  addPool(world, healthy, 'certificates', {
    ...nodes(1),
    certificates: [{ id: `${healthy.id}/certificates/sha1-0123456789abcdef0123456789abcdef01234567`, storeLocation: 'LocalMachine', storeName: 'My', visibility: ['StartTask', 'Task', 'RemoteUser'] }],
  }, [nodeIdentity.id]); // MI024
  // MI010: nodes allocated with the workload identity; the pool identity was changed afterwards.
  const changed = addPool(world, healthy, 'identity-changed', { ...nodes(2), ...packagesOf(healthy.id) }, [otherIdentity.id], 60 * 60_000);
  changed.identity = { type: 'UserAssigned', userAssignedIdentities: { [nodeIdentity.id]: { principalId: nodeIdentity.principalId, clientId: nodeIdentity.clientId } } };
  changed.identityLastModified = changed.lastModified = world.clock.now() - 10 * 60_000;

  // Table A row 2, Table B row 2: the reference is set but holds no data role; the account's
  // own identity lacks the autostorage role too (MI002: package upload answers 409).
  const noRole = addAccount(world, place, 'batchnorole', {
    identityIds: [accountIdentityNoRole.id],
    autoStorage: { storageAccountId: autoStorage.id, authenticationMode: 'BatchAccountManagedIdentity', nodeIdentityReference: { resourceId: nodeIdentityNoRole.id } },
  });
  addActivePackage(world, noRole, 'tools', '1.0');
  addPool(world, noRole, 'packages-no-role', { ...nodes(2), ...packagesOf(noRole.id) }, [nodeIdentityNoRole.id]); // A2
  addPool(world, noRole, 'starttask-no-role', { ...nodes(2), ...autoStorageStartTask }, [nodeIdentityNoRole.id]); // B2

  // Table A row 3, Table B row 3: managed-identity autostorage without a node identity reference.
  const noReference = addAccount(world, place, 'batchnoref', {
    identityIds: [accountIdentity.id],
    autoStorage: { storageAccountId: autoStorage.id, authenticationMode: 'BatchAccountManagedIdentity' },
  });
  addActivePackage(world, noReference, 'tools', '1.0');
  addPool(world, noReference, 'packages-no-reference', { ...nodes(2), ...packagesOf(noReference.id) }, [nodeIdentity.id]); // A3
  addPool(world, noReference, 'starttask-no-reference', { ...nodes(2), ...autoStorageStartTask }, [nodeIdentity.id]); // B3

  // MI017: autostorage behind a firewall that does not admit the pool's subnet.
  const behindFirewall = addAccount(world, place, 'batchfirewall', {
    identityIds: [accountIdentity.id],
    autoStorage: { storageAccountId: firewalled.id, authenticationMode: 'BatchAccountManagedIdentity', nodeIdentityReference: { resourceId: nodeIdentity.id } },
  });
  addPool(world, behindFirewall, 'subnet-not-allowed', { ...nodes(2), ...autoStorageStartTask, networkConfiguration: { subnetId: SUBNET(place, 'snet-other') } }, [nodeIdentity.id]);
  addPool(world, behindFirewall, 'subnet-allowed', { ...nodes(2), ...autoStorageStartTask, networkConfiguration: { subnetId: SUBNET(place, 'snet-allowed') } }, [nodeIdentity.id]);

  // MI001: managed-identity autostorage on an account with no identity (the service cannot
  // upload packages, so it has none). The node identity reference is sound and on its pool,
  // which takes nothing from autostorage: the nodes go idle.
  const noAccountIdentity = addAccount(world, place, 'batchnoaccountidentity', {
    autoStorage: { storageAccountId: autoStorage.id, authenticationMode: 'BatchAccountManagedIdentity', nodeIdentityReference: { resourceId: nodeIdentity.id } },
  });
  addPool(world, noAccountIdentity, 'workers', nodes(1), [nodeIdentity.id]);

  // MI007: a system-assigned account identity (with its autostorage role, so the service can
  // upload), no node identity reference, and a pool with no identity whose start task takes files
  // from autostorage, as if the account's identity reached the nodes. It does not: the start
  // task fails as in Table B row 3 (MI003 holds for the pool too).
  const systemIdentity = addAccount(world, place, 'batchsystemidentity', {
    systemAssigned: true,
    autoStorage: { storageAccountId: autoStorage.id, authenticationMode: 'BatchAccountManagedIdentity' },
  });
  assign(world, systemIdentity.identity.principalId ?? '', ROLE.storageBlobDataContributor, autoStorage.id);
  addPool(world, systemIdentity, 'starttask-no-identity', { ...nodes(1), ...autoStorageStartTask }, []);

  // MI009: configured like batchhealthy, with a pool whose start-task resource file names, by
  // identityReference, an identity the pool does not have (storage answers 400: ResourceContainerListMiscError).
  const badReference = addAccount(world, place, 'batchidreference', {
    identityIds: [accountIdentity.id],
    autoStorage: { storageAccountId: autoStorage.id, authenticationMode: 'BatchAccountManagedIdentity', nodeIdentityReference: { resourceId: nodeIdentity.id } },
  });
  addPool(world, badReference, 'resourcefile-other-identity', {
    ...nodes(1),
    ...startTaskWith([{ storageContainerUrl: `https://${autoStorage.name}.blob.core.windows.net/inputs`, identityReference: { resourceId: otherIdentity.id }, filePath: 'input' }]),
  }, [nodeIdentity.id]);

  // Customer-managed keys: healthy; vault without purge protection (MI019); identity without key access (MI021).
  const vault = addVault(world, place, 'kv-batch-cmk', { purgeProtection: true, keyAccess: [cmkIdentity.principalId] });
  const vaultNoPurge = addVault(world, place, 'kv-batch-nopurge', { purgeProtection: false, keyAccess: [cmkIdentity.principalId] });
  for (const [name, identity, v] of [['batchcmk', cmkIdentity, vault], ['batchcmknopurge', cmkIdentity, vaultNoPurge], ['batchcmknoaccess', cmkIdentityNoKey, vault]] as const) {
    const account = addAccount(world, place, name, { identityIds: [identity.id], keyIdentifier: keyIdentifier(v) });
    addPool(world, account, 'workers', nodes(2), [nodeIdentity.id]);
  }
}
