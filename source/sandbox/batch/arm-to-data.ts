/**
 * A pool's ARM properties (BatchManagement.json) as the Batch data plane spells them
 * (BatchService.json 2022-10-01.16.0). The two specs describe the same objects with a few renamed
 * properties (nodeAgentSkuId → nodeAgentSKUId, imageReference.id → virtualMachineImageId,
 * userName → username, inboundNatPools → inboundNATPools, dynamicVnetAssignmentScope →
 * dynamicVNetAssignmentScope) and enums in lower case (NonAdmin → nonadmin, Standard_LRS →
 * standard_lrs) or lower camel case (Pool → pool, DockerCompatible → dockerCompatible).
 * Properties the older data-plane version does not know are left out, and so are secrets, which
 * Batch never serves back (passwords, account and SAS keys, protected settings).
 */

type Json = Record<string, unknown>;

export const asRecord = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const records = (v: unknown): Json[] => (Array.isArray(v) ? v.map((x) => asRecord(x)).filter((x): x is Json => x !== undefined) : []);
const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);
export const lowerFirst = (v: unknown): unknown => (typeof v === 'string' ? v.charAt(0).toLowerCase() + v.slice(1) : v);

/** Copies the named properties that are present, each through its mapping. */
function pick(source: Json | undefined, fields: Record<string, ((v: unknown) => unknown) | string | true>): Json | undefined {
  if (!source) return undefined;
  const out: Json = {};
  for (const [from, how] of Object.entries(fields)) {
    const value = source[from];
    if (value === undefined) continue;
    if (how === true) out[from] = value;
    else if (typeof how === 'string') out[how] = value;
    else {
      const mapped = how(value);
      if (mapped !== undefined) out[from] = mapped;
    }
  }
  return out;
}

const each = (fn: (v: Json) => Json | undefined) => (v: unknown) => records(v).map((x) => fn(x) ?? {});

const identityReference = (v: unknown) => pick(asRecord(v), { resourceId: true });

const containerRegistry = (r: Json) => pick(r, { username: true, registryServer: true, identityReference });

const imageReference = (v: unknown) => pick(asRecord(v), { publisher: true, offer: true, sku: true, version: true, id: 'virtualMachineImageId' });

export function dataPlaneVmConfiguration(v: unknown): Json | undefined {
  return pick(asRecord(v), {
    imageReference,
    nodeAgentSkuId: 'nodeAgentSKUId',
    windowsConfiguration: (w) => pick(asRecord(w), { enableAutomaticUpdates: true }),
    dataDisks: each((d) => pick(d, { lun: true, caching: lower, diskSizeGB: true, storageAccountType: lower })),
    licenseType: true,
    containerConfiguration: (c) => pick(asRecord(c), { type: lowerFirst, containerImageNames: true, containerRegistries: each(containerRegistry) }),
    diskEncryptionConfiguration: (d) => pick(asRecord(d), { targets: (t) => (Array.isArray(t) ? t.map(lower) : t) }),
    nodePlacementConfiguration: (n) => pick(asRecord(n), { policy: lower }),
    extensions: each((e) => pick(e, { name: true, publisher: true, type: true, typeHandlerVersion: true, autoUpgradeMinorVersion: true, settings: true, provisionAfterExtensions: true })),
    osDisk: (o) => pick(asRecord(o), { ephemeralOSDiskSettings: (s) => pick(asRecord(s), { placement: true }) }),
  });
}

const natPool = (p: Json) =>
  pick(p, {
    name: true,
    protocol: lower,
    backendPort: true,
    frontendPortRangeStart: true,
    frontendPortRangeEnd: true,
    networkSecurityGroupRules: each((r) => pick(r, { priority: true, access: lower, sourceAddressPrefix: true, sourcePortRanges: true })),
  });

export function dataPlaneNetwork(v: unknown): Json | undefined {
  return pick(asRecord(v), {
    subnetId: true,
    dynamicVnetAssignmentScope: 'dynamicVNetAssignmentScope',
    endpointConfiguration: (e) => {
      const pools = asRecord(e)?.inboundNatPools;
      return pools === undefined ? undefined : { inboundNATPools: records(pools).map((p) => natPool(p) ?? {}) };
    },
    publicIPAddressConfiguration: (p) => pick(asRecord(p), { provision: lower, ipAddressIds: true }),
  });
}

const userIdentity = (v: unknown) =>
  pick(asRecord(v), { userName: 'username', autoUser: (a) => pick(asRecord(a), { scope: lowerFirst, elevationLevel: lower }) });

/** The pool's start task in data-plane form (or undefined). */
export function dataPlaneStartTask(v: unknown): Json | undefined {
  const task = asRecord(v);
  if (!task) return undefined;
  return {
    commandLine: task.commandLine ?? '',
    ...pick(task, {
      containerSettings: (c) => pick(asRecord(c), { containerRunOptions: true, imageName: true, registry: (r) => containerRegistry(asRecord(r) ?? {}), workingDirectory: lowerFirst }),
      resourceFiles: each((f) => pick(f, { autoStorageContainerName: true, storageContainerUrl: true, httpUrl: true, blobPrefix: true, filePath: true, fileMode: true, identityReference })),
      environmentSettings: true,
      userIdentity,
    }),
    maxTaskRetryCount: typeof task.maxTaskRetryCount === 'number' ? task.maxTaskRetryCount : 0,
    waitForSuccess: task.waitForSuccess !== false,
  };
}

export const dataPlaneUserAccounts = each((u) =>
  pick(u, {
    name: true,
    elevationLevel: lower,
    linuxUserConfiguration: (l) => pick(asRecord(l), { uid: true, gid: true }),
    windowsUserConfiguration: (w) => pick(asRecord(w), { loginMode: lower }),
  }),
);

export function dataPlaneMounts(v: unknown): Json[] {
  return records(v).map(
    (m) =>
      pick(m, {
        azureBlobFileSystemConfiguration: (c) => pick(asRecord(c), { accountName: true, containerName: true, blobfuseOptions: true, relativeMountPath: true, identityReference }),
        nfsMountConfiguration: true,
        cifsMountConfiguration: (c) => pick(asRecord(c), { userName: 'username', source: true, relativeMountPath: true, mountOptions: true }),
        azureFileShareConfiguration: (c) => pick(asRecord(c), { accountName: true, azureFileUrl: true, relativeMountPath: true, mountOptions: true }),
      }) ?? {},
  );
}
