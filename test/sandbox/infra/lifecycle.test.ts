import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startSandbox } from '../../../source/sandbox/index.js';
import { ACCOUNT, POOL, buildWorld } from './fixture.js';

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Child processes of this process, from /proc (Linux). */
function children(): string[] {
  if (!existsSync(`/proc/${process.pid}/task`)) return [];
  return readdirSync(`/proc/${process.pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean),
  );
}

const servers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

it('start and stop leave no listening port, no child process and no temp files behind', async () => {
  const childrenBefore = children();
  const serversBefore = servers();
  const started = Date.now();
  const sandbox = await startSandbox({ seed: buildWorld });
  const startMs = Date.now() - started;
  await sandbox.storageReady;
  await sandbox.imds.openForNode(ACCOUNT, POOL, 'tvmps_one_d');
  const ports = await sandbox.listeningPorts();
  // arm, entra, storage, control, batch (one account), imds shared + one node, azurite
  expect(ports.length).toBe(8);
  for (const port of ports) expect(await accepts(port)).toBe(true);
  expect(existsSync(sandbox.profile.caCertFile)).toBe(true);

  await sandbox.stop();
  for (const port of ports) expect(await accepts(port), `port ${port} still open`).toBe(false);
  expect(existsSync(sandbox.profile.caCertFile)).toBe(false);
  expect(children()).toEqual(childrenBefore);
  expect(servers()).toBe(serversBefore);
  console.info(`startSandbox() resolved in ${startMs} ms`);
});

it('stop is safe while Azurite is still starting, and twice', async () => {
  const sandbox = await startSandbox({ seed: buildWorld });
  const stopping = sandbox.stop();
  await sandbox.stop();
  await stopping;
  for (const port of await sandbox.listeningPorts().catch(() => []))
    expect(await accepts(port)).toBe(false);
});
