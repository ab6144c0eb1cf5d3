/**
 * `batch-mi-tui sandbox`: Azure on this machine, standalone, until Ctrl+C. It writes the cloud
 * profile that any Azure client (this program with --cloud, or another language's SDK) can be
 * pointed at. The profile holds the sandbox operator's client secret, so it is written with mode
 * 600 and its content is never printed.
 */
import { chmod, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function runSandboxCommand(values: Record<string, string | true>): Promise<number> {
  const port = typeof values.port === 'string' ? Number(values.port) : undefined;
  const given =
    typeof values['profile-out'] === 'string' ? path.resolve(values['profile-out']) : undefined;
  const profileFile = given ?? path.join(os.tmpdir(), `batch-mi-tui-sandbox-${process.pid}.json`);

  const { startEmbeddedSandbox } = await import('../cloud/start-sandbox.js');
  let embedded;
  try {
    embedded = await startEmbeddedSandbox({
      ...(port === undefined ? {} : { port }),
      clockSpeed: 1,
      waitForStorage: true,
    });
  } catch (error) {
    process.stderr.write(
      `batch-mi-tui: the sandbox did not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  const { profile } = embedded;
  try {
    await writeFile(profileFile, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
    await chmod(profileFile, 0o600);
  } catch (error) {
    await embedded.stop();
    const why = (error as { code?: string }).code ?? String(error);
    process.stderr.write(
      `batch-mi-tui: cannot write the cloud profile to ${profileFile} (${why}); the sandbox was stopped.\n`,
    );
    return 2;
  }

  process.stdout.write(
    [
      'The batch-mi-tui sandbox is running; Ctrl+C stops it.',
      `  ARM       ${profile.armEndpoint}`,
      `  Entra ID  ${profile.authorityHost}/${profile.tenantId}`,
      `  IMDS      ${profile.imdsBase ?? '-'}`,
      `  CA        ${profile.caCertFile ?? '-'}`,
      `  Profile   ${profileFile} (holds the sandbox operator's client secret)`,
      '',
      `Use it:     batch-mi-tui --cloud ${profileFile}`,
      `Other SDKs: trust the CA (e.g. NODE_EXTRA_CA_CERTS=${profile.caCertFile ?? ''}) and use the profile's endpoints.`,
      '',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, stop);
      resolve();
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  });
  process.stdout.write('Stopping the sandbox…\n');
  await embedded.stop();
  // A profile we chose the name of is ours to clean up; one the operator named stays (its CA is gone).
  if (given === undefined) await rm(profileFile, { force: true });
  return 0;
}
