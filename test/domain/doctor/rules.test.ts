/** Every rule of SPEC §4.1 fires on a case and stays quiet on a near miss (RULES.md §3). */
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../source/domain/doctor/engine.js';
import type { RuleId, Snapshot } from '../../../source/domain/doctor/types.js';
import { BUILT_IN_ROLE_IDS } from '../../../source/domain/model.js';
import {
  KV_CRYPTO_USER,
  NOW,
  STORAGE,
  SUBNET,
  VAULT,
  assignment,
  healthy,
  identityId,
  mainAccount,
  mainPool,
  node,
  ref,
  dropAssignments,
  startTaskOnly,
  vault,
} from './world.js';

type Change = (s: Snapshot) => void;
const READER = BUILT_IN_ROLE_IDS['Storage Blob Data Reader'];
const CONTRIBUTOR = BUILT_IN_ROLE_IDS['Storage Blob Data Contributor'];
const MIN = 60_000;

const cases: Array<[RuleId, string, Change, string, Change]> = [
  [
    'MI001',
    'MI autostorage, account identity None',
    (s) => {
      mainAccount(s).identity = { type: 'None', userAssignedIdentities: [] };
    },
    'identity None but StorageKeys',
    (s) => {
      const a = mainAccount(s);
      a.identity = { type: 'None', userAssignedIdentities: [] };
      if (a.autoStorage) a.autoStorage.authenticationMode = 'StorageKeys';
    },
  ],
  [
    'MI002',
    'account identity holds only Reader data role',
    (s) => {
      dropAssignments(s, 'pid-id-account');
      s.roleAssignments.push(assignment('pid-id-account', READER, STORAGE));
    },
    'Contributor granted at the resource group',
    (s) => {
      dropAssignments(s, 'pid-id-account');
      s.roleAssignments.push(
        assignment('pid-id-account', CONTRIBUTOR, STORAGE.replace(/\/providers\/.*$/, '')),
      );
    },
  ],
  [
    'MI003',
    'MI mode without nodeIdentityReference',
    (s) => {
      delete mainAccount(s).autoStorage?.nodeIdentityReference;
    },
    'no reference, StorageKeys mode',
    (s) => {
      const st = mainAccount(s).autoStorage;
      if (st) {
        delete st.nodeIdentityReference;
        st.authenticationMode = 'StorageKeys';
      }
    },
  ],
  [
    'MI004',
    'pool has another identity',
    (s) => {
      mainPool(s).pool.identity.userAssignedIdentities = [ref('id-workload')];
    },
    'same identity, id in other case',
    (s) => {
      mainPool(s).pool.identity.userAssignedIdentities = [
        { ...ref('id-nodes'), resourceId: identityId('id-nodes').toUpperCase() },
      ];
    },
  ],
  [
    'MI005',
    'reference identity has no data role',
    (s) => dropAssignments(s, 'pid-id-nodes'),
    'role on the one container the start task reads',
    (s) => {
      dropAssignments(s, 'pid-id-nodes');
      startTaskOnly(s);
      s.roleAssignments.push(
        assignment('pid-id-nodes', READER, `${STORAGE}/blobServices/default/containers/inputs`),
      );
    },
  ],
  [
    'MI006',
    'data role granted 5 minutes ago',
    (s) => {
      dropAssignments(s, 'pid-id-nodes');
      s.roleAssignments.push(assignment('pid-id-nodes', READER, STORAGE, 5 * MIN));
    },
    'granted 11 minutes ago',
    (s) => {
      dropAssignments(s, 'pid-id-nodes');
      s.roleAssignments.push(assignment('pid-id-nodes', READER, STORAGE, 11 * MIN));
    },
  ],
  [
    'MI007',
    'SystemAssigned account, pool without identity',
    (s) => {
      mainAccount(s).identity = {
        type: 'SystemAssigned',
        principalId: 'pid-sys',
        userAssignedIdentities: [],
      };
      mainPool(s).pool.identity = { type: 'None', userAssignedIdentities: [] };
    },
    'SystemAssigned account, pool with identity',
    (s) => {
      mainAccount(s).identity = {
        type: 'SystemAssigned',
        principalId: 'pid-sys',
        userAssignedIdentities: [],
      };
    },
  ],
  [
    'MI008',
    'two identities',
    (s) => {
      mainPool(s).pool.identity.userAssignedIdentities.push(ref('id-workload'));
    },
    'one identity',
    () => undefined,
  ],
  [
    'MI009',
    'registry names an identity not on the pool',
    (s) => {
      mainPool(s).pool.identityReferences = [
        { resourceId: identityId('id-workload'), where: 'containerRegistries[0]' },
      ];
    },
    'registry names the pool identity (other case)',
    (s) => {
      mainPool(s).pool.identityReferences = [
        { resourceId: identityId('id-nodes').toLowerCase(), where: 'containerRegistries[0]' },
      ];
    },
  ],
  [
    'MI010',
    'pool changed after its nodes were allocated',
    (s) => {
      mainPool(s).pool.lastModified = new Date(NOW.getTime() - 10 * MIN);
    },
    'nodes allocated after the last change',
    (s) => {
      mainPool(s).pool.lastModified = new Date(NOW.getTime() - 61 * MIN);
    },
  ],
  [
    'MI017',
    'firewall Deny, subnet not listed',
    (s) => {
      mainPool(s).pool.subnetId = SUBNET;
      const st = s.storageAccounts[0];
      if (st) st.networkAcls.defaultAction = 'Deny';
    },
    'firewall Deny, subnet listed (other case)',
    (s) => {
      mainPool(s).pool.subnetId = SUBNET;
      const st = s.storageAccounts[0];
      if (st)
        st.networkAcls = {
          defaultAction: 'Deny',
          virtualNetworkRules: [{ id: SUBNET.toUpperCase() }],
          ipRules: [],
        };
    },
  ],
  [
    'MI018',
    'start task failed BlobAccessDenied, configuration silent',
    (s) => {
      mainPool(s).nodes = [
        node('tvm-1', {
          state: 'starttaskfailed',
          startTaskFailure: {
            code: 'BlobAccessDenied',
            message: 'Access for one of the specified Azure Blob(s) is denied',
            category: 'usererror',
          },
        }),
      ];
    },
    'start task failed CommandProgramNotFound',
    (s) => {
      mainPool(s).nodes = [
        node('tvm-1', {
          state: 'starttaskfailed',
          startTaskFailure: { code: 'CommandProgramNotFound', message: 'x' },
        }),
      ];
    },
  ],
  [
    'MI019',
    'vault without purge protection',
    (s) => {
      delete vault(s).enablePurgeProtection;
    },
    'soft delete omitted, purge protection on',
    (s) => {
      delete vault(s).enableSoftDelete;
    },
  ],
  [
    'MI020',
    'EC key',
    (s) => {
      const k = s.keys[0];
      if (k) k.kty = 'EC';
    },
    'RSA-HSM 3072 with no keyOps restriction',
    (s) => {
      const k = s.keys[0];
      if (k) Object.assign(k, { kty: 'RSA-HSM', keySize: 3072, keyOps: [] });
    },
  ],
  [
    'MI021',
    'access policy without unwrapKey',
    (s) => {
      vault(s).accessPolicies = [{ objectId: 'pid-id-cmk', keys: ['get', 'wrapKey'] }];
    },
    'RBAC vault, Crypto Service Encryption User on the vault',
    (s) => {
      Object.assign(vault(s), { enableRbacAuthorization: true, accessPolicies: [] });
      s.roleAssignments.push(assignment('pid-id-cmk', KV_CRYPTO_USER, VAULT));
    },
  ],
  [
    'MI024',
    'certificate references',
    (s) => {
      mainPool(s).pool.certificates = [`${mainAccount(s).id}/certificates/sha1-abc`];
    },
    'no certificates',
    () => undefined,
  ],
  [
    'MI028',
    'unusable nodes without errors',
    (s) => {
      mainPool(s).nodes = [node('tvm-1', { state: 'unusable' })];
    },
    'unusable with ApplicationPackageError',
    (s) => {
      mainPool(s).nodes = [
        node('tvm-1', {
          state: 'unusable',
          errors: [{ code: 'ApplicationPackageError', message: 'x', details: [] }],
        }),
      ];
    },
  ],
];

const rulesOf = (s: Snapshot) => runDoctor(s).findings.map((f) => f.rule);

describe.each(cases)('%s', (id, fires, fire, missName, nearMiss) => {
  it(`fires: ${fires}`, () => {
    const s = healthy();
    fire(s);
    const finding = runDoctor(s).findings.find((f) => f.rule === id);
    expect(finding).toBeDefined();
    expect(finding?.symptom.length).toBeGreaterThan(20);
    expect(Object.keys(finding?.evidence ?? {}).length).toBeGreaterThan(0);
    expect(finding?.fix.az).toMatch(/^(az |curl |\{)/);
    expect(finding?.fix.az).not.toMatch(/undefined|\[object/);
  });
  it(`does not fire: ${missName}`, () => {
    const s = healthy();
    nearMiss(s);
    expect(rulesOf(s)).not.toContain(id);
  });
});
