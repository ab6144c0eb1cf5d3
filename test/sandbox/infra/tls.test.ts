import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSandboxTls } from '../../../source/sandbox/tls.js';

describe('sandbox TLS', () => {
  it('makes a CA and a 127.0.0.1 server certificate that node:https verifies', async () => {
    const tls = await createSandboxTls();
    try {
      const ca = new X509Certificate(tls.caPem);
      const cert = new X509Certificate(tls.certPem);
      expect(ca.ca).toBe(true);
      expect(cert.ca).toBe(false);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
      expect(cert.subjectAltName).toContain('DNS:localhost');
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');

      const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (_req, res) =>
        res.end('ok'),
      );
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, path: '/', ca: tls.caPem, agent: false }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(body).toBe('ok');
      server.close();
    } finally {
      await tls.dispose();
    }
    expect(existsSync(tls.caFile)).toBe(false);
  });
});
