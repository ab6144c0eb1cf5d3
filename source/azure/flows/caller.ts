/**
 * Who is signed in, for the permission pre-check (their object id) and the audit line (a label):
 * read from the claims of an ARM token the credential hands out. The token is decoded in memory
 * and dropped; only `oid`, `tid` and a display label are kept.
 */
import type { TokenCredential } from '@azure/identity';
import { decodeJwt, principalLabel } from '../../domain/jwt.js';
import { toDomainError } from '../errors.js';
import type { FlowCaller } from './types.js';

export async function callerFromCredential(
  credential: TokenCredential,
  armScope: string,
  signal?: AbortSignal,
): Promise<FlowCaller> {
  let token: string | undefined;
  try {
    token = (await credential.getToken(armScope, signal ? { abortSignal: signal } : {}))?.token;
  } catch (error) {
    throw toDomainError(error, { operation: 'find out who is signed in' });
  }
  const claims = token ? decodeJwt(token)?.claims : undefined;
  if (!claims) return { label: 'unknown principal' };
  return {
    label: principalLabel(claims),
    ...(typeof claims.oid === 'string' ? { objectId: claims.oid } : {}),
    ...(typeof claims.tid === 'string' ? { tenantId: claims.tid } : {}),
  };
}
