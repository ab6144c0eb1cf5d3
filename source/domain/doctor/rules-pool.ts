/**
 * Pool identity rules (RULES.md §3 MI007–MI010, MI024; [S1][S2][S7]): what the pool's own
 * configuration says about the identities its nodes will have.
 */
import { lastSegment } from '../model.js';
import { parseResourceId } from '../resource-id.js';
import {
  autoStorageUse,
  describeNodes,
  nameOf,
  poolHasIdentity,
  poolIdentityIds,
  usesAutoStorage,
} from './context.js';
import { imdsCurl, placeholder, poolIdentityPatch, resizeNote, resizeToZero } from './fixes.js';
import { rule } from './rule.js';

const isKeyVaultExtension = (type: string): boolean => /^KeyVaultFor(Linux|Windows)$/i.test(type);

export const MI007 = rule(
  'MI007',
  'error',
  "Nodes are expected to have the account's system-assigned identity",
  (ctx, out) => {
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      if (a.identity.type !== 'SystemAssigned' || p.pool.identity.userAssignedIdentities.length > 0)
        continue;
      const expects = [
        ...(a.autoStorage?.authenticationMode === 'BatchAccountManagedIdentity' &&
        usesAutoStorage(autoStorageUse(p.pool))
          ? ['managed-identity autostorage']
          : []),
        ...p.pool.identityReferences.map((r) => `identityReference in ${r.where}`),
        ...p.pool.extensions
          .filter((e) => isKeyVaultExtension(e.type))
          .map((e) => `${e.type} extension`),
      ];
      if (!expects.length) continue;
      const parsed = parseResourceId(p.pool.id);
      const newIdentity = parsed.ok
        ? `/subscriptions/${parsed.value.subscriptionId}/resourceGroups/${parsed.value.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${p.pool.name}-nodes`
        : placeholder('identity-resource-id');
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        symptom:
          "Nodes have no managed identity (IMDS finds none; DefaultAzureCredential fails): the account's system-assigned identity never reaches nodes",
        evidence: {
          'account.identity.type': 'SystemAssigned',
          'pool.identity': null,
          'expects an identity': expects,
        },
        fix: {
          flow: 'pool-identity',
          az: `az identity create -g ${parsed.ok ? parsed.value.resourceGroup : placeholder('resource-group')} -n id-${p.pool.name}-nodes && ${poolIdentityPatch(ctx.snapshot.armEndpoint, p.pool, [newIdentity])}`,
          note: `a Batch pool can only carry user-assigned identities; grant this one what the nodes need, then ${resizeNote(p.pool)}`,
        },
      });
    }
  },
);

export const MI008 = rule(
  'MI008',
  'warning',
  'Pool has more than one user-assigned identity',
  (ctx, out) => {
    for (const {
      account: { account: a },
      pool: p,
    } of ctx.pools()) {
      const identities = p.pool.identity.userAssignedIdentities;
      if (identities.length <= 1) continue;
      const reference = a.autoStorage?.nodeIdentityReference?.resourceId;
      const preferred =
        identities.find(
          (i) => reference && i.resourceId.toLowerCase() === reference.toLowerCase(),
        ) ?? identities[0];
      const clientId = preferred?.clientId ?? ctx.identity(preferred?.resourceId ?? '')?.clientId;
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        symptom:
          'IMDS answers 400 "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request" unless a task names one',
        evidence: { 'pool.identity.userAssignedIdentities': identities.map((i) => i.resourceId) },
        fix: {
          az: imdsCurl(clientId ?? placeholder('client-id')),
          note: `name the identity in every token request (client_id or msi_res_id), or set AZURE_CLIENT_ID in the task and start task environmentSettings${preferred ? ` (${preferred.name})` : ''}`,
        },
      });
    }
  },
);

export const MI009 = rule(
  'MI009',
  'error',
  'An identityReference names an identity that is not on the pool',
  (ctx, out) => {
    for (const { pool: p } of ctx.pools()) {
      const missing = p.pool.identityReferences.filter(
        (r) => !poolHasIdentity(p.pool, r.resourceId),
      );
      if (!missing.length) continue;
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        symptom:
          'Resource files, container pulls or blobfuse mounts fail (ResourceContainerListMiscError / HTTP 400): they name an identity the nodes do not have',
        evidence: {
          identityReferences: missing.map((r) => `${r.where}: ${r.resourceId}`),
          'pool.identity.userAssignedIdentities': poolIdentityIds(p.pool),
        },
        fix: {
          flow: 'pool-identity',
          az: poolIdentityPatch(ctx.snapshot.armEndpoint, p.pool, [
            ...poolIdentityIds(p.pool),
            ...missing.map((r) => r.resourceId),
          ]),
          note: `or change the identityReference to one of the pool's identities; existing nodes keep theirs: ${resizeNote(p.pool)}`,
        },
      });
    }
  },
);

export const MI010 = rule(
  'MI010',
  'warning',
  'Pool changed after its nodes were allocated (old nodes keep the old identities)',
  (ctx, out) => {
    for (const { pool: p } of ctx.pools()) {
      const pool = p.pool;
      if (pool.currentDedicatedNodes + pool.currentLowPriorityNodes === 0 || !pool.lastModified)
        continue;
      if (!p.nodes) {
        out.skip(pool.id, ctx.gap('nodes', pool.id)?.reason ?? 'the nodes were not read');
        continue;
      }
      const lastModified = pool.lastModified;
      const before = p.nodes.filter(
        (n) => n.allocationTime && n.allocationTime.getTime() < lastModified.getTime(),
      );
      if (!before.length) continue;
      const oldest = Math.min(...before.map((n) => n.allocationTime?.getTime() ?? 0));
      out.find({
        resource: pool.id,
        resourceName: nameOf(pool),
        symptom: `${before.length} node(s) were allocated before the pool last changed: if the change was to its identities, those nodes still have the old ones and behave differently from new nodes`,
        evidence: {
          'pool.lastModified': lastModified.toISOString(),
          'oldest node allocationTime': new Date(oldest).toISOString(),
          'nodes allocated before': before.length,
          nodes: describeNodes(p.nodes),
          'pool.identity.userAssignedIdentities': poolIdentityIds(pool),
        },
        fix: {
          flow: 'pool-identity',
          az: resizeToZero(pool),
          note: `nodes get the pool's identities when allocated: ${resizeNote(pool)}`,
        },
      });
    }
  },
);

export const MI024 = rule(
  'MI024',
  'warning',
  'Pool uses certificate references (retired 29 February 2024)',
  (ctx, out) => {
    for (const { pool: p } of ctx.pools()) {
      if (!p.pool.certificates.length) continue;
      const identity = p.pool.identity.userAssignedIdentities[0];
      const extension = {
        identity: {
          type: 'UserAssigned',
          userAssignedIdentities: {
            [identity?.resourceId ?? placeholder('identity-resource-id')]: {},
          },
        },
        properties: {
          deploymentConfiguration: {
            virtualMachineConfiguration: {
              extensions: [
                {
                  name: 'KeyVaultForLinux',
                  publisher: 'Microsoft.Azure.KeyVault',
                  type: 'KeyVaultForLinux',
                  typeHandlerVersion: '3.0',
                  autoUpgradeMinorVersion: true,
                  settings: {
                    secretsManagementSettings: {
                      observedCertificates: [
                        placeholder('https://vault.vault.azure.net/secrets/certificate'),
                      ],
                    },
                    authenticationSettings: {
                      msiEndpoint: 'http://169.254.169.254/metadata/identity',
                      msiClientId: identity?.clientId ?? placeholder('client-id'),
                    },
                  },
                },
              ],
            },
          },
        },
      };
      out.find({
        resource: p.pool.id,
        resourceName: nameOf(p.pool),
        symptom:
          'Certificate references are retired (29 Feb 2024): new nodes get no certificates ($AZ_BATCH_CERTIFICATES_DIR is missing on Linux)',
        evidence: { 'pool.certificates': p.pool.certificates.map(lastSegment) },
        fix: {
          az: JSON.stringify(extension),
          note: 'recreate the pool with this identity and Key Vault VM extension (KeyVaultForWindows on Windows) and give the identity secret get on the vault',
        },
      });
    }
  },
);
