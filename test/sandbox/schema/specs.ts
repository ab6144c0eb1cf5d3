/**
 * Where the official specs live: `../shared/specs/specification` beside the repository (in CI
 * too). A missing file is a failure with a message that says where it was looked for, never a skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecValidator } from './swagger.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SPEC_ROOT = resolve(REPO, '../shared/specs/specification');

export const SPEC = {
  batchManagement: 'batch/resource-manager/Microsoft.Batch/stable/2023-11-01/BatchManagement.json',
  batchService: 'batch/data-plane/Microsoft.Batch/stable/2022-10-01.16.0/BatchService.json',
  roleAssignments: 'authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json',
  roleDefinitions: 'authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleDefinitionsCalls.json',
  msi: 'msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/ManagedIdentity.json',
  keyVault: 'keyvault/resource-manager/Microsoft.KeyVault/stable/2025-05-01/keyvault.json',
  keys: 'keyvault/resource-manager/Microsoft.KeyVault/stable/2025-05-01/keys.json',
  storage: 'storage/resource-manager/Microsoft.Storage/stable/2025-08-01/storage.json',
} as const;

/** Throws, naming every missing file, unless all the specs the tests use are present. */
export function requireSpecs(): void {
  const missing = Object.values(SPEC).filter((file) => !existsSync(join(SPEC_ROOT, file)));
  if (missing.length) {
    throw new Error(
      `The Azure REST API specs are missing: ${missing.map((f) => join(SPEC_ROOT, f)).join(', ')}. ` +
        'They are expected in ../shared/specs/specification beside the repository (see ../shared/specs/README.md).',
    );
  }
}

/** A validator reading the copied specs; files that were not copied resolve to nothing. */
export function specValidator(): SpecValidator {
  requireSpecs();
  return new SpecValidator({
    // BatchService.json 2022-10-01.16.0 requires UserAccount.password and the mounts' password and
    // accountKey without marking them x-ms-secret as BatchManagement.json does; Batch never serves credentials back.
    secrets: ['password', 'accountKey'],
    read: (file) => {
      const path = join(SPEC_ROOT, file);
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { definitions?: Record<string, Record<string, unknown>> }) : undefined;
    },
  });
}
