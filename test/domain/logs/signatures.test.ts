import { describe, expect, it } from 'vitest';
import {
  SIGNATURES,
  SignatureScan,
  matchLine,
  scanLines,
} from '../../../source/domain/logs/signatures.js';

const T = '2026-11-23T10:00:00.000Z';

describe('matchLine', () => {
  it.each([
    [
      `${T} INFO  pool not fully joined yet, health=Status.TvmJoinPoolInProgress`,
      'tvm-join-in-progress',
      'MI003',
      'TvmJoinPoolInProgress',
    ],
    [
      `${T} ERROR application package tools download failed: HTTP 403 AuthorizationPermissionMismatch This request is not authorized to perform this operation using this permission.`,
      'permission-mismatch',
      'MI005',
      'AuthorizationPermissionMismatch',
    ],
    [
      `${T} WARN  download failed: HTTP 403 AuthorizationFailure This request is not authorized to perform this operation.`,
      'storage-firewall',
      'MI017',
      'AuthorizationFailure',
    ],
    [
      `${T} ERROR node unusable: ApplicationPackageError: One or more application packages specified for the pool are invalid`,
      'application-package-error',
      'MI004',
      'ApplicationPackageError',
    ],
    [
      `${T} ERROR start task failed: category=usererror code=ResourceContainerListMiscError message=Miscellaneous error encountered while listing one of the specified Azure Blob container(s)`,
      'container-list-misc-error',
      'MI004',
      'ResourceContainerListMiscError',
    ],
    [
      `${T} ERROR start task failed: code=ResourceContainerAccessDenied message=Access for one of the specified Azure Blob container(s) is denied`,
      'container-access-denied',
      'MI005',
      'ResourceContainerAccessDenied',
    ],
    [
      `{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}`,
      'imds-multiple-identities',
      'MI008',
      'Multiple user assigned identities exist',
    ],
    [
      `IMDS: 400 {"error":"invalid_request","error_description":"Identity not found"}`,
      'identity-not-on-vm',
      'MI004',
      'Identity not found',
    ],
    [
      `409 AutoStorageNoPermission The managed identity does not have permission to access auto storage account.`,
      'autostorage-no-permission',
      'MI002',
      'AutoStorageNoPermission',
    ],
    [`task failed: BlobAccessDenied`, 'blob-access-denied', 'MI005', 'BlobAccessDenied'],
    [
      `Message - Resource download failed`,
      'resource-download-failed',
      'MI004',
      'Resource download failed',
    ],
  ])('%s → %s (%s)', (line, signature, rule, highlighted) => {
    const m = matchLine(line, 7);
    expect(m).toMatchObject({ line: 7, signature, rule });
    expect(line.slice(...(m?.span ?? [0, 0]))).toBe(highlighted);
    expect(m?.explanation.length).toBeGreaterThan(40);
  });

  it('prefers the specific cause on a line that names several things', () => {
    // A4 as the node writes it: the IMDS refusal is the cause, "Resource download failed" its effect.
    const line = `${T} ERROR application package tools download failed: IMDS answered 400 Bad Request for identity /x/id-batch-nodes (not assigned to this VM); Message - Resource download failed`;
    expect(matchLine(line, 0)?.signature).toBe('identity-not-on-vm');
  });

  it('lets ordinary lines pass', () => {
    for (const line of [
      `${T} INFO  joined pool`,
      `${T} INFO  start task completed, exit code 0`,
      '',
      'AuthorizationFailed on ARM is not storage',
    ])
      expect(matchLine(line, 0)).toBeUndefined();
  });

  it('has an explanation and a rule for every signature', () => {
    for (const s of SIGNATURES) {
      expect(s.explanation).toMatch(/[.)]$/);
      expect(s.rule).toMatch(/^MI0\d\d$/);
    }
  });
});

describe('SignatureScan', () => {
  it('groups a repeating line and reports it once with its count (table A3)', () => {
    const lines = [
      `${T} INFO  autostorage: BatchAccountManagedIdentity, nodeIdentityReference=null`,
      ...Array.from(
        { length: 200 },
        () => `${T} INFO  pool not fully joined yet, health=Status.TvmJoinPoolInProgress`,
      ),
    ];
    const scan = scanLines(lines);
    expect(scan.explanation()).toMatchObject({
      count: 200,
      lastLine: 200,
      match: { line: 1, rule: 'MI003', signature: 'tvm-join-in-progress' },
    });
    expect(scan.results().map((g) => g.match.signature)).toEqual([
      'node-identity-reference-null',
      'tvm-join-in-progress',
    ]);
  });

  it('reads an access denial as MI003 when the log says there is no node identity reference (table B3)', () => {
    const denied = `${T} ERROR start task failed: category=usererror code=ResourceContainerAccessDenied message=Access for one of the specified Azure Blob container(s) is denied`;
    const mismatch = `${T} ERROR start task resource file download failed: HTTP 403 AuthorizationPermissionMismatch`;
    const withReference = scanLines([
      `${T} INFO  autostorage: BatchAccountManagedIdentity, nodeIdentityReference=/x/id`,
      mismatch,
      denied,
    ]);
    expect(withReference.explanation()?.match.rule).toBe('MI005');
    // The context line may come after the lines it explains (a viewer can scan in any order).
    const scan = new SignatureScan();
    scan.add(mismatch, 5);
    scan.add(denied, 6);
    scan.add(`${T} INFO  autostorage: BatchAccountManagedIdentity, nodeIdentityReference=null`, 1);
    expect(scan.explanation()?.match).toMatchObject({
      rule: 'MI003',
      signature: 'permission-mismatch',
      line: 5,
    });
    expect(scan.explanation()?.match.explanation).toMatch(/no node identity reference/);
  });

  it('names the cause before its consequences (table A4, table B4)', () => {
    const a4 = scanLines([
      `${T} ERROR application package p download failed: IMDS answered 400 Bad Request for identity /x (not assigned to this VM); Message - Resource download failed`,
      `${T} ERROR node unusable: ApplicationPackageError: One or more application packages specified for the pool are invalid`,
    ]);
    expect(a4.explanation()?.match).toMatchObject({
      signature: 'identity-not-on-vm',
      rule: 'MI004',
    });
    const b4 = scanLines([
      `${T} ERROR start task resource file download failed: HTTP 400 Bad Request`,
      `${T} ERROR start task failed: category=usererror code=ResourceContainerListMiscError message=…`,
    ]);
    expect(b4.explanation()?.match).toMatchObject({
      signature: 'container-list-misc-error',
      rule: 'MI004',
      line: 1,
    });
  });

  it('explains nothing in a healthy log', () => {
    expect(
      scanLines([`${T} INFO  joined pool`, `${T} INFO  node state idle`]).explanation(),
    ).toBeUndefined();
  });
});
