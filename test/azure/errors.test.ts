import {
  AggregateAuthenticationError,
  AuthenticationError,
  CredentialUnavailableError,
} from '@azure/identity';
import { describe, expect, it } from 'vitest';
import {
  errorFacts,
  parseAuthorizationFailure,
  retryAfterMs,
  toDomainError,
} from '../../source/azure/errors.js';
import {
  SUB,
  cannedBatchManagement,
  cannedBatchService,
  thrown,
  type Canned,
} from './canned-transport.js';

const POOL = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct/pools/p1`;
const UAMI = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nodes`;
const armError = (code: string, message: string): unknown => ({ error: { code, message } });

/** ARM answers as the Batch management RP does, through the real arm-batch pipeline. */
const armCases: Array<[string, Canned, Record<string, unknown>]> = [
  [
    'AuthorizationFailed → Forbidden with action and scope',
    {
      status: 403,
      headers: { 'x-ms-request-id': 'req-1' },
      body: armError(
        'AuthorizationFailed',
        `The client 'c1' with object id 'c1' does not have authorization to perform action 'Microsoft.Batch/batchAccounts/pools/write' over scope '${POOL}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      ),
    },
    {
      kind: 'Forbidden',
      detail: {
        kind: 'Forbidden',
        action: 'Microsoft.Batch/batchAccounts/pools/write',
        scope: POOL,
      },
      azureCode: 'AuthorizationFailed',
      requestId: 'req-1',
    },
  ],
  [
    'LinkedAuthorizationFailed → Forbidden on the identity (linked scope)',
    {
      status: 403,
      body: armError(
        'LinkedAuthorizationFailed',
        `The client 'c1' with object id 'c1' has permission to perform action 'Microsoft.Batch/batchAccounts/pools/write' on scope '${POOL}'; however, it does not have permission to perform action(s) 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action' on the linked scope(s) '${UAMI}' (respectively) or the linked scope(s) are invalid.`,
      ),
    },
    {
      kind: 'Forbidden',
      detail: {
        kind: 'Forbidden',
        action: 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
        scope: UAMI,
        linked: true,
      },
    },
  ],
  [
    'ResourceNotFound → NotFound',
    {
      status: 404,
      body: armError(
        'ResourceNotFound',
        "The Resource 'Microsoft.Batch/batchAccounts/nope' under resource group 'rg' was not found.",
      ),
    },
    { kind: 'NotFound', azureCode: 'ResourceNotFound' },
  ],
  [
    'ExpiredAuthenticationToken → NotSignedIn',
    {
      status: 401,
      body: armError(
        'ExpiredAuthenticationToken',
        'The access token expiry UTC time is earlier than current UTC time.',
      ),
    },
    { kind: 'NotSignedIn' },
  ],
  [
    '429 with Retry-After → Throttled carrying the wait',
    {
      status: 429,
      headers: { 'retry-after': '7' },
      body: armError('TooManyRequests', 'Too many requests'),
    },
    { kind: 'Throttled', detail: { kind: 'Throttled', retryAfterMs: 7000 } },
  ],
  [
    '412 → Conflict',
    { status: 412, body: armError('PreconditionFailed', 'The ETag does not match.') },
    { kind: 'Conflict', statusCode: 412 },
  ],
  [
    '400 → Invalid',
    {
      status: 400,
      body: armError('InvalidRequestBody', "The value for 'identity.type' is invalid."),
    },
    { kind: 'Invalid' },
  ],
  [
    '503 → Network with status',
    { status: 503, body: armError('ServiceUnavailable', 'Try later') },
    { kind: 'Network', detail: { kind: 'Network', status: 503 } },
  ],
];

describe('ARM errors (core-rest-pipeline RestError) → domain errors', () => {
  it.each(armCases)('%s', async (_name, canned, expected) => {
    const client = cannedBatchManagement(canned);
    const error = await thrown(() => client.poolOperations.get('rg', 'acct', 'p1'));
    expect((error as Error).name).toBe('RestError');
    expect(toDomainError(error, { operation: 'read pool p1' })).toMatchObject(expected);
  });
});

const batchError = (code: string, value: string): unknown => ({
  'odata.metadata':
    'https://acct.westeurope.batch.azure.com/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element',
  code,
  message: {
    lang: 'en-US',
    value: `${value}\nRequestId:5d3e1a4c-0c5b-4b7e-9e8f-2a1b3c4d5e6f\nTime:2024-05-01T14:00:00.0000000Z`,
  },
});

describe('Batch data-plane errors (ms-rest-js RestError) → domain errors', () => {
  it.each<[string, Canned, Record<string, unknown>, string]>([
    [
      'PoolNotFound',
      {
        status: 404,
        headers: { 'request-id': 'b-1' },
        body: batchError('PoolNotFound', 'The specified pool does not exist.'),
      },
      { kind: 'NotFound', azureCode: 'PoolNotFound', requestId: 'b-1' },
      'The specified pool does not exist.',
    ],
    [
      'AuthorizationFailure',
      {
        status: 403,
        body: batchError(
          'AuthorizationFailure',
          'This request is not authorized to perform this operation.',
        ),
      },
      { kind: 'Forbidden' },
      'This request is not authorized to perform this operation.',
    ],
    [
      'ServerBusy',
      {
        status: 503,
        headers: { 'retry-after': '2' },
        body: batchError('ServerBusy', 'The server is currently unable to receive requests.'),
      },
      { kind: 'Network' },
      'The server is currently unable to receive requests.',
    ],
  ])('%s', async (_name, canned, expected, message) => {
    const client = cannedBatchService(canned);
    const error = await thrown(() => client.computeNode.list('p1'));
    expect(errorFacts(error).message).toBe(message);
    expect(toDomainError(error)).toMatchObject(expected);
  });
});

describe('sign-in errors (@azure/identity) → NotSignedIn', () => {
  it.each<[string, unknown, string[]]>([
    [
      'CredentialUnavailableError',
      new CredentialUnavailableError(
        'AzureCliCredential: Azure CLI could not be found. Please visit https://aka.ms/azure-cli',
      ),
      ['AzureCliCredential'],
    ],
    [
      'AuthenticationError',
      new AuthenticationError(401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
      }),
      [],
    ],
    [
      'AggregateAuthenticationError from a chain',
      new AggregateAuthenticationError(
        [
          new CredentialUnavailableError(
            'EnvironmentCredential is unavailable. No underlying credential could be used.',
          ),
          new CredentialUnavailableError('ManagedIdentityCredential: Authentication failed.'),
          new CredentialUnavailableError('AzureCliCredential: Please run az login.'),
        ],
        'ChainedTokenCredential authentication failed.',
      ),
      ['EnvironmentCredential', 'ManagedIdentityCredential', 'AzureCliCredential'],
    ],
  ])('%s', (_name, error, tried) => {
    const mapped = toDomainError(error);
    expect(mapped.detail).toEqual({ kind: 'NotSignedIn', sourcesTried: tried });
    expect(mapped.nextStep).toContain('az login');
  });

  it('comes through the ARM pipeline unchanged when the credential fails', async () => {
    const failing = {
      getToken: () =>
        Promise.reject(new CredentialUnavailableError('EnvironmentCredential is unavailable.')),
    };
    const client = cannedBatchManagement({ status: 200, body: {} }, failing);
    const error = await thrown(() => client.poolOperations.get('rg', 'acct', 'p1'));
    expect(toDomainError(error).kind).toBe('NotSignedIn');
  });
});

describe('transport failures → Network', () => {
  it('a refused connection (real core-rest-pipeline error)', async () => {
    const { BatchManagementClient } = await import('@azure/arm-batch');
    const client = new BatchManagementClient(
      {
        getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }),
      },
      SUB,
      {
        endpoint: 'https://127.0.0.1:1',
        credentialScopes: ['https://management.azure.com/.default'],
        retryOptions: { maxRetries: 0 },
      },
    );
    const error = await thrown(() => client.poolOperations.get('rg', 'acct', 'p1'));
    expect(toDomainError(error)).toMatchObject({ kind: 'Network', azureCode: 'ECONNREFUSED' });
  });
});

describe('parsing helpers', () => {
  it.each([
    [
      "does not have authorization to perform action 'A/b/read' over scope '/s/x' or",
      { action: 'A/b/read', scope: '/s/x' },
    ],
    [
      "perform action 'X/assign/action' on the linked scope(s) '/u/1'",
      { action: 'X/assign/action', scope: '/u/1', linked: true },
    ],
    ['no details here', {}],
  ])('parseAuthorizationFailure(%s)', (message, expected) => {
    expect(parseAuthorizationFailure(message)).toEqual(expected);
  });

  const NOW = Date.parse('2024-05-01T14:00:00Z');
  it.each<[Record<string, string>, number | undefined]>([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '1500', 'retry-after': '9' }, 1500],
    [{ 'x-ms-retry-after-ms': '250' }, 250],
    [{ 'retry-after': 'Wed, 01 May 2024 14:00:04 GMT' }, 4000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('retryAfterMs(%j)', (headers, expected) => {
    expect(retryAfterMs({ header: (n) => headers[n] }, NOW)).toBe(expected);
  });
});
