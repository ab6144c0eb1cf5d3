/**
 * The sandbox's own PKI: a CA and a server certificate made at start with node:crypto, so that
 * the real Azure SDK clients talk to it over verified HTTPS (they refuse anything else). The CA
 * file is what a cloud profile names; the files live in a temp dir removed on stop.
 *
 * Certificates are ECDSA P-256 with SHA-256 and carry SAN IP:127.0.0.1 and DNS:localhost
 * (Node checks the SAN, not the CN; `*.localhost` does not resolve here, see specs/README.md).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  integer,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  utcTime,
  utf8String,
} from './http/der.js';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const name = (commonName: string): Buffer =>
  sequence(
    set(sequence(objectIdentifier(OID.organization), utf8String('batch-mi-tui sandbox'))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))),
  );

const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
  sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));

/**
 * A key identifier only has to be unique and stable (RFC 5280 §4.2.1.2 lists ways, RFC 7093
 * more): SHA-1 of the whole SPKI is one of them and needs no parsing.
 */
const keyIdentifier = (publicKey: KeyObject): Buffer =>
  createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();

export interface CertificateInput {
  subject: string;
  issuer: string;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  issuerPublicKey: KeyObject;
  isCa: boolean;
  /** SAN entries; server certificates only. */
  ipAddresses?: string[];
  dnsNames?: string[];
  validDays: number;
}

/** Builds and signs an X.509 v3 certificate; returns PEM. */
export function buildCertificate(input: CertificateInput): string {
  const rsa = input.issuerKey.asymmetricKeyType === 'rsa';
  const signatureAlgorithm = rsa
    ? sequence(objectIdentifier(OID.sha256WithRsa), nullValue())
    : sequence(objectIdentifier(OID.ecdsaWithSha256));
  // Back-dated an hour so that a slightly skewed client clock still accepts it.
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(Date.now() + input.validDays * 86400_000);
  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, input.isCa ? sequence(boolean(true)) : sequence()),
    // keyCertSign|cRLSign (bits 5, 6) for the CA; digitalSignature (bit 0) for the server.
    extension(
      OID.keyUsage,
      true,
      input.isCa ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0x80]), 7),
    ),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(input.subjectKey))),
  ];
  if (!input.isCa) {
    extensions.push(
      extension(
        OID.authorityKeyIdentifier,
        false,
        sequence(implicitPrimitive(0, keyIdentifier(input.issuerPublicKey))),
      ),
      extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
      extension(
        OID.subjectAltName,
        false,
        sequence(
          ...(input.ipAddresses ?? []).map((ip) =>
            implicitPrimitive(7, Buffer.from(ip.split('.').map(Number))),
          ),
          ...(input.dnsNames ?? []).map((dns) => implicitPrimitive(2, Buffer.from(dns, 'ascii'))),
        ),
      ),
    );
  }
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    signatureAlgorithm,
    name(input.issuer),
    sequence(utcTime(notBefore), utcTime(notAfter)),
    name(input.subject),
    input.subjectKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, input.issuerKey);
  const der = sequence(tbs, signatureAlgorithm, bitString(signature));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export interface SandboxTls {
  dir: string;
  caPem: string;
  caFile: string;
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
  /** Removes the temp dir. */
  dispose(): Promise<void>;
}

/** Makes the CA and the 127.0.0.1 server certificate and writes them to a fresh temp dir. */
export async function createSandboxTls(): Promise<SandboxTls> {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const common = {
    issuer: 'batch-mi-tui sandbox CA',
    issuerKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
  };
  const caPem = buildCertificate({
    ...common,
    subject: common.issuer,
    subjectKey: ca.publicKey,
    isCa: true,
    validDays: 30,
  });
  const certPem = buildCertificate({
    ...common,
    subject: '127.0.0.1',
    subjectKey: server.publicKey,
    isCa: false,
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
    validDays: 30,
  });
  const keyPem = server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = await mkdtemp(join(tmpdir(), 'batch-mi-tui-sandbox-'));
  const caFile = join(dir, 'ca.pem');
  const certFile = join(dir, 'server.pem');
  const keyFile = join(dir, 'server-key.pem');
  await Promise.all([
    writeFile(caFile, caPem),
    writeFile(certFile, certPem),
    writeFile(keyFile, keyPem, { mode: 0o600 }),
  ]);
  return {
    dir,
    caPem,
    caFile,
    certPem,
    keyPem,
    certFile,
    keyFile,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
