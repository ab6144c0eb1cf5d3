/**
 * Blob Storage's refusals → domain errors. Storage names its errors in `x-ms-error-code` (also in
 * the XML body, absent on HEAD requests), and four of them decide what an operator must do:
 * - 403 AuthorizationPermissionMismatch: the token is fine, the identity has no data role;
 * - 403 AuthorizationFailure: the storage firewall refused the caller's network;
 * - 403 AuthenticationFailed / 401 InvalidAuthenticationInfo / 401 NoAuthenticationInformation:
 *   the token (or SAS, or key) itself was refused.
 * Everything else goes through the common mapping (errors.ts).
 */
import { DomainError, type DomainErrorInit } from '../domain/errors.js';
import { BLOB_READ, BLOB_WRITE } from '../domain/doctor/rbac.js';
import { errorFacts, toDomainError, type ErrorFacts } from './errors.js';

export interface StorageErrorContext {
  /** What we were doing, in operator words: "list blobs in logs of stbatchlogs". */
  operation: string;
  accountName: string;
  container?: string;
  blob?: string;
  /** Whether the operation writes (the data action a missing role would have to grant). */
  write?: boolean;
  /** The client presents a SAS: a refusal may be the SAS's, not the network's. */
  sas?: boolean;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;

/** Storage's error code, wherever the SDK left it (the `code`, the parsed body, the header). */
export function storageErrorCode(f: ErrorFacts, error: unknown): string | undefined {
  const details = record(record(error)?.details);
  const fromBody = details?.errorCode ?? details?.Code;
  return (
    f.code ?? (typeof fromBody === 'string' ? fromBody : undefined) ?? f.header('x-ms-error-code')
  );
}

/** Storage adds why authentication failed in the body (AuthenticationErrorDetail). */
export function authenticationDetail(error: unknown): string | undefined {
  const details = record(record(error)?.details);
  const detail = details?.AuthenticationErrorDetail ?? details?.authenticationErrorDetail;
  return typeof detail === 'string' ? detail.split('\n')[0] : undefined;
}

/** The SDK error under a DomainError the retry loop made, or the error itself. */
const original = (error: unknown): unknown =>
  error instanceof DomainError && error.cause !== undefined ? error.cause : error;

export function toStorageError(error: unknown, context: StorageErrorContext): DomainError {
  const sdk = original(error);
  if (error instanceof DomainError && error.cause === undefined) return error;
  const f = errorFacts(sdk);
  const code = storageErrorCode(f, sdk);
  const init: DomainErrorInit = {
    cause: sdk,
    operation: context.operation,
    ...(code === undefined ? {} : { azureCode: code }),
    ...(f.statusCode === undefined ? {} : { statusCode: f.statusCode }),
  };
  const requestId = f.header('x-ms-request-id');
  if (requestId) init.requestId = requestId;
  const where = context.container
    ? `/${context.accountName}/${context.container}${context.blob ? `/${context.blob}` : ''}`
    : `/${context.accountName}`;
  const dataAction = context.write ? BLOB_WRITE : BLOB_READ;
  switch (code) {
    case 'AuthorizationPermissionMismatch':
      return new DomainError(
        { kind: 'Forbidden', action: dataAction, scope: where },
        `${context.operation}: storage account ${context.accountName} refused it: your identity has no Storage Blob Data role that allows ${dataAction.split('/').slice(-2).join('/')} (AuthorizationPermissionMismatch)`,
        `Ask an owner for "Storage Blob Data ${context.write ? 'Contributor' : 'Reader'}" on storage account ${context.accountName} (az role assignment create --assignee-object-id <your object id> --role "Storage Blob Data ${context.write ? 'Contributor' : 'Reader'}" --scope <storage account id>); it applies within 10 minutes`,
        init,
      );
    case 'AuthorizationFailure':
      // Azure answers this to a network the firewall denies; a SAS that does not cover the
      // request (another container, a missing permission) can meet it too.
      return context.sas
        ? new DomainError(
            { kind: 'Forbidden', scope: where },
            `${context.operation}: storage account ${context.accountName} refused the SAS (AuthorizationFailure): it does not cover this container or operation, or the firewall refused this network`,
            'Use a SAS for this container with read, write and list permissions that has not expired, from an allowed network',
            init,
          )
        : new DomainError(
            { kind: 'Forbidden', scope: where },
            `${context.operation}: the firewall of storage account ${context.accountName} refused this network (AuthorizationFailure)`,
            `Allow your network on the storage account (az storage account network-rule add --account-name ${context.accountName} --ip-address <your public IP>), or work from an allowed network`,
            init,
          );
    case 'AuthenticationFailed':
    case 'InvalidAuthenticationInfo':
    case 'NoAuthenticationInformation': {
      const detail = authenticationDetail(sdk);
      return new DomainError(
        { kind: 'NotSignedIn', sourcesTried: [] },
        `${context.operation}: storage account ${context.accountName} rejected the credential (${code}${detail ? `: ${detail}` : ''})`,
        'Sign in again (or get a fresh token or SAS) and retry',
        init,
      );
    }
    default:
      return toDomainError(sdk, { operation: context.operation, resource: where });
  }
}
