/**
 * The validator against Azure's own answers: every response body in the copied `x-ms-examples`
 * files must validate against its definition, so that a sandbox failure means the sandbox is
 * wrong, not that the conversion is too strict.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEC, SPEC_ROOT, specValidator } from './specs.js';

const EXAMPLES: Array<[spec: string, file: string, definitions: Record<string, string>]> = [
  [SPEC.batchManagement, 'BatchAccountGet.json', { 200: 'BatchAccount' }],
  [SPEC.batchManagement, 'BatchAccountCreate_UserAssignedIdentity.json', { 200: 'BatchAccount' }],
  [SPEC.batchManagement, 'BatchAccountList.json', { 200: 'BatchAccountListResult' }],
  [SPEC.batchManagement, 'PoolCreate_UserAssignedIdentities.json', { 200: 'Pool' }],
  [SPEC.batchManagement, 'PoolUpdate_OtherProperties.json', { 200: 'Pool' }],
  [SPEC.batchManagement, 'PoolList.json', { 200: 'ListPoolsResult' }],
  [SPEC.batchService, 'NodeList.json', { 200: 'ComputeNodeListResult' }],
  [SPEC.batchService, 'NodeGet_Basic.json', { 200: 'ComputeNode' }],
  [SPEC.roleAssignments, 'RoleAssignments_ListForScope.json', { 200: 'RoleAssignmentListResult' }],
  [SPEC.roleAssignments, 'RoleAssignments_CreateForResource.json', { 200: 'RoleAssignment', 201: 'RoleAssignment' }],
];

describe("Azure's examples validate against their definitions", () => {
  const specs = specValidator();
  it.each(EXAMPLES)('%s: %s', (spec, file, definitions) => {
    const example = JSON.parse(readFileSync(join(SPEC_ROOT, spec, '..', 'examples', file), 'utf8')) as { responses: Record<string, { body?: unknown }> };
    for (const [status, definition] of Object.entries(definitions)) {
      expect(specs.validate(spec, definition, example.responses[status]?.body), `${file} ${status}`).toEqual([]);
    }
  });
});
