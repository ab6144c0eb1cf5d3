import { describe, expect, it } from 'vitest';
import {
  classifyImdsFailure,
  explainImdsFailure,
  imdsDescriptionFromSdk,
  nodeTokenCommand,
} from '../../../source/domain/token/imds.js';

const MULTIPLE =
  'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request';

describe('classifyImdsFailure', () => {
  it.each([
    [{ status: 400, description: MULTIPLE }, 'multipleIdentities'],
    [{ status: 400, description: 'Identity not found' }, 'identityNotFound'],
    [{ transport: 'ECONNREFUSED' }, 'unreachable'],
    [
      {
        transport:
          'ManagedIdentityCredential: Attempted to use the IMDS endpoint, but it is not available.',
      },
      'unreachable',
    ],
    [{ status: 500, description: 'Internal error' }, 'other'],
  ])('%o → %s', (input, kind) => {
    expect(classifyImdsFailure(input).kind).toBe(kind);
  });

  it("reads IMDS's words out of ManagedIdentityCredential's message", () => {
    // As @azure/identity 4.13 / msal-node 5.6 word it (measured against the sandbox's IMDS).
    const message = `ManagedIdentityCredential: Authentication failed. Message invalid_request: Error(s): Not Available - Timestamp: Not Available - Description: ${MULTIPLE} - Correlation ID: Not Available - Trace ID: Not Available`;
    expect(imdsDescriptionFromSdk(message)).toBe(MULTIPLE);
    expect(classifyImdsFailure({ description: imdsDescriptionFromSdk(message) }).kind).toBe(
      'multipleIdentities',
    );
  });
});

describe('explainImdsFailure', () => {
  it('explains the two-identity 400 as MI008, with the request that names one', () => {
    const e = explainImdsFailure(
      { kind: 'multipleIdentities', status: 400, description: MULTIPLE },
      {},
    );
    expect(e.rule).toBe('MI008');
    expect(e.reason).toContain('IMDS answered 400');
    expect(e.reason).toContain(MULTIPLE);
    expect(e.reason).toMatch(/several user-assigned identities and the request named none/);
    expect(e.fix).toMatch(/client_id=<client-id>/);
    expect(e.fix).toMatch(/AZURE_CLIENT_ID/);
  });

  it('points an identity that is not on the node to the pool and a resize', () => {
    const e = explainImdsFailure(
      { kind: 'identityNotFound', status: 400, description: 'Identity not found' },
      { clientId: 'c1' },
    );
    expect(e.reason).toMatch(/client id c1 is not on this node's VM/);
    expect(e.fix).toMatch(/resize the pool to 0 and back/);
  });

  it('sends an operator off a node to the node, with the curl line', () => {
    const e = explainImdsFailure(
      { kind: 'unreachable', description: 'ETIMEDOUT' },
      { resourceId: '/subscriptions/s/x/id' },
    );
    expect(e.fix).toContain('msi_res_id=/subscriptions/s/x/id');
    expect(e.fix).toContain('--token-file token.jwt');
  });
});

it('nodeTokenCommand is the documented curl, writing token.jwt', () => {
  expect(nodeTokenCommand({ clientId: '11111111-2222-3333-4444-555555555555' })).toBe(
    'curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/&client_id=11111111-2222-3333-4444-555555555555" | jq -r .access_token > token.jwt',
  );
});
