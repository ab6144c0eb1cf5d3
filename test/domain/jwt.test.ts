import { describe, expect, it } from 'vitest';
import { decodeJwt, principalLabel, redact } from '../../source/domain/jwt.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) => `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;

describe('decodeJwt', () => {
  it('reads header and claims', () => {
    const decoded = decodeJwt(jwt({ aud: 'https://storage.azure.com/', oid: 'o1', exp: 5 }));
    expect(decoded?.header.alg).toBe('RS256');
    expect(decoded?.claims).toEqual({ aud: 'https://storage.azure.com/', oid: 'o1', exp: 5 });
  });

  it.each([
    ['', 'empty'],
    ['abc', 'one segment'],
    ['a.b', 'two segments'],
    ['a.b.c.d', 'four segments'],
    [`${b64url({})}.not json!.x`, 'bad characters'],
    [`${b64url({})}.${Buffer.from('nope').toString('base64url')}.x`, 'claims not JSON'],
    [`${b64url({})}.${b64url('a string')}.x`, 'claims not an object'],
  ])('refuses %j (%s)', (token) => {
    expect(decodeJwt(token)).toBeUndefined();
  });
});

describe('redact', () => {
  it.each([
    ['eyJ0eXAiOiJKV1QiLCJhbGciOi', 'eyJ0eXAi…'],
    ['12345678', '…'],
    ['', '…'],
  ])('%j → %j', (secret, expected) => expect(redact(secret)).toBe(expected));
});

describe('principalLabel', () => {
  it.each([
    [{ upn: 'ops@contoso.com', appid: 'a' }, 'ops@contoso.com'],
    [{ appid: 'a1' }, 'app a1'],
    [{ azp: 'a2' }, 'app a2'],
    [{ oid: 'o1' }, 'object o1'],
    [{}, 'unknown principal'],
  ])('%j → %s', (claims, expected) => expect(principalLabel(claims)).toBe(expected));
});
