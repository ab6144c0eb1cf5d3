/**
 * Builds a configuration the way an operator would, through ARM with the real clients:
 * identities (raw ARM PUT: @azure/arm-msi is not a dependency), role assignments
 * (@azure/arm-authorization), Batch accounts, applications and pools (@azure/arm-batch), and the
 * package zip uploaded with @azure/storage-blob. Used by the behaviour-table tests.
 */
import { randomUUID } from 'node:crypto';
import { BlockBlobClient } from '@azure/storage-blob';
import type { Pool } from '@azure/arm-batch';
import type { RunningSandbox } from '../../../source/sandbox/index.js';
import { guidFrom } from '../../../source/sandbox/world/ids.js';
import { SEED } from '../../../source/sandbox/world/seed.js';
import { wire, type Wire } from '../schema/wire.js';
import { armClients, credential } from './sdk-helpers.js';

export interface BuiltIdentity {
  id: string;
  principalId: string;
  clientId: string;
}

export class ArmBuilder {
  readonly rg = 'rg-batch';
  readonly sub: string;
  readonly clients: ReturnType<typeof armClients>;
  readonly operatorObjectId = guidFrom(`principal:${SEED.operator.clientId}`);

  private constructor(
    readonly sandbox: RunningSandbox,
    private readonly http: Wire,
  ) {
    this.sub = sandbox.profile.subscriptionId ?? '';
    this.clients = armClients(sandbox);
  }

  static async create(sandbox: RunningSandbox): Promise<ArmBuilder> {
    return new ArmBuilder(sandbox, await wire(sandbox));
  }

  storageId(name: string): string {
    return `/subscriptions/${this.sub}/resourceGroups/${this.rg}/providers/Microsoft.Storage/storageAccounts/${name}`;
  }

  blobEndpoint(name: string): string {
    return [...this.sandbox.world.storageAccounts.values()].find((s) => s.name === name)?.blobEndpoint ?? '';
  }

  accountEndpoint(name: string): string {
    return [...this.sandbox.world.batchAccounts.values()].find((a) => a.name === name)?.accountEndpoint ?? '';
  }

  async identity(name: string): Promise<BuiltIdentity> {
    const id = `/subscriptions/${this.sub}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
    const response = await this.http.arm('PUT', `${id}?api-version=2024-11-30`, { location: 'westeurope' });
    const body = response.body as { id: string; properties: { principalId: string; clientId: string } };
    if (response.status >= 300) throw new Error(`identity ${name}: HTTP ${response.status}`);
    return { id: body.id, principalId: body.properties.principalId, clientId: body.properties.clientId };
  }

  async grant(principalId: string, roleGuid: string, scope: string): Promise<void> {
    await this.clients.authorization.roleAssignments.create(scope, randomUUID(), {
      roleDefinitionId: `/subscriptions/${this.sub}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType: 'ServicePrincipal',
    });
  }

  /** A Batch account with a user-assigned identity and managed-identity autostorage. */
  async account(name: string, options: { accountIdentity: BuiltIdentity; storage: string; nodeIdentityReference?: BuiltIdentity }): Promise<void> {
    await this.clients.batch.batchAccountOperations.beginCreateAndWait(this.rg, name, {
      location: 'westeurope',
      identity: { type: 'UserAssigned', userAssignedIdentities: { [options.accountIdentity.id]: {} } },
      autoStorage: {
        storageAccountId: this.storageId(options.storage),
        authenticationMode: 'BatchAccountManagedIdentity',
        ...(options.nodeIdentityReference ? { nodeIdentityReference: { resourceId: options.nodeIdentityReference.id } } : {}),
      },
    });
  }

  /** Creates the package version, uploads a zip to its storageUrl as the operator, and activates it; returns the blob URL. */
  async publishPackage(account: string, application: string, version: string): Promise<string> {
    const created = await this.clients.batch.applicationPackageOperations.create(this.rg, account, application, version);
    const url = created.storageUrl ?? '';
    await new BlockBlobClient(url, credential(this.sandbox), { retryOptions: { maxTries: 1 } }).upload('PK\u0003\u0004', 4);
    await this.clients.batch.applicationPackageOperations.activate(this.rg, account, application, version, { format: 'zip' });
    return url;
  }

  applicationId(account: string, application: string): string {
    return `/subscriptions/${this.sub}/resourceGroups/${this.rg}/providers/Microsoft.Batch/batchAccounts/${account}/applications/${application}`;
  }

  async pool(account: string, name: string, identity: BuiltIdentity, properties: Omit<Pool, 'identity'>): Promise<void> {
    await this.clients.batch.poolOperations.create(this.rg, account, name, {
      identity: { type: 'UserAssigned', userAssignedIdentities: { [identity.id]: {} } },
      vmSize: 'STANDARD_D2S_V3',
      deploymentConfiguration: { virtualMachineConfiguration: { imageReference: { publisher: 'canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts' }, nodeAgentSkuId: 'batch.node.ubuntu 22.04' } },
      scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
      ...properties,
    });
  }
}
