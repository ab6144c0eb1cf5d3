import { describe, expect, it } from 'vitest';
import {
  conflict,
  exitCodeFor,
  forbidden,
  invalid,
  isDomainError,
  network,
  notFound,
  notSignedIn,
  readOnlyRefused,
  throttled,
  unexpected,
  type DomainError,
  type DomainErrorKind,
} from '../../source/domain/errors.js';

describe('domain errors', () => {
  const cases: Array<[DomainError, DomainErrorKind, 1 | 2, RegExp, RegExp]> = [
    [
      notSignedIn('no credential', ['EnvironmentCredential', 'AzureCliCredential']),
      'NotSignedIn',
      2,
      /tried EnvironmentCredential, AzureCliCredential/,
      /az login/,
    ],
    [
      forbidden(
        { action: 'Microsoft.Batch/batchAccounts/pools/write', scope: '/subscriptions/s/rg/p' },
        'm',
      ),
      'Forbidden',
      2,
      /may not perform Microsoft.Batch\/batchAccounts\/pools\/write on \/subscriptions\/s\/rg\/p/,
      /grants Microsoft.Batch\/batchAccounts\/pools\/write/,
    ],
    [
      forbidden({}, 'This request is not authorized'),
      'Forbidden',
      2,
      /forbidden: This request is not authorized/,
      /RBAC/,
    ],
    [
      notFound('The specified pool does not exist.', 'pool p1'),
      'NotFound',
      1,
      /not found: The specified pool/,
      /press r/,
    ],
    [throttled(2500), 'Throttled', 1, /wait 3s/, /--refresh/],
    [network('connect ECONNREFUSED'), 'Network', 1, /cannot reach Azure/, /proxy/],
    [
      network('InternalServerError — boom', { statusCode: 500 }),
      'Network',
      1,
      /Azure answered 500/,
      /Azure's side/,
    ],
    [invalid('bad $select'), 'Invalid', 2, /refused the request/, /nothing was changed/],
    [conflict('etag mismatch'), 'Conflict', 1, /conflict/, /re-read/],
    [
      readOnlyRefused('update pool p1'),
      'ReadOnly',
      2,
      /read-only mode: refused to update pool p1/,
      /:ro/,
    ],
    [unexpected('x is undefined'), 'Unexpected', 1, /unexpected/, /--debug/],
  ];
  it.each(cases)('%#: %s', (error, kind, exit, message, next) => {
    expect(isDomainError(error)).toBe(true);
    expect(error.kind).toBe(kind);
    expect(exitCodeFor(error)).toBe(exit);
    expect(error.message).toMatch(message);
    expect(error.nextStep).toMatch(next);
    expect(error.message).not.toContain('\n');
  });

  it('prefixes the operation', () => {
    expect(notFound('gone', undefined, { operation: 'read pool p1' }).message).toBe(
      'read pool p1: not found: gone',
    );
  });
});
