/**
 * `batch-mi-tui` with no command: the full-screen program. The first frame goes up at once with
 * where the session is headed; the sandbox (if asked for) and the sign-in happen behind it.
 *
 * Only the UI is loaded before the first frame: cloud/connect (the identity and storage SDKs,
 * ~200 ms to load) and the flows' caller are imported once the frame is up, in `connect`.
 */
import type { Connection } from '../cloud/connect.js';
import { describeTarget } from '../cloud/target.js';
import type { InteractiveOptions } from '../options.js';

export function interactiveOptions(values: Record<string, string | true>): InteractiveOptions {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const refresh = text('refresh');
  const options: InteractiveOptions = {
    sandbox: values.sandbox === true,
    readOnly: values['read-only'] === true,
    ...(refresh === undefined ? {} : { refreshSeconds: Number(refresh) }),
  };
  for (const key of ['cloud', 'debug', 'subscription', 'account'] as const) {
    const value = text(key);
    if (value !== undefined) options[key] = value;
  }
  return options;
}

export async function startInteractive(values: Record<string, string | true>): Promise<number> {
  const options = interactiveOptions(values);
  const { runInteractive } = await import('../ui/run.js');
  let opening: Promise<Connection> | undefined;
  const code = await runInteractive(
    options,
    { cloudLabel: describeTarget(options), credentialLabel: 'signing in…' },
    {
      connect: async () => {
        const loading = Promise.all([
          import('../cloud/connect.js'),
          import('../azure/flows/caller.js'),
        ]);
        // Set before the first await: quitting while this loads still waits for it to close.
        opening = loading.then(([{ connect }]) => connect(options));
        const opened = await opening;
        const [, { callerFromCredential }] = await loading;
        return {
          info: opened.info,
          services: {
            clients: opened.clients,
            armEndpoint: opened.profile.armEndpoint,
            incident: {
              blobService: (url: string) => opened.clients.blobService(url),
              ...(opened.trust.tlsOptions ? { tlsOptions: opened.trust.tlsOptions } : {}),
              ...(opened.profile.imdsBase ? { imdsBase: opened.profile.imdsBase } : {}),
              ...(opened.profile.tenantId ? { tenantId: opened.profile.tenantId } : {}),
            },
            // Who is signed in, for the flows' permission pre-check and audit lines.
            flows: {
              caller: (signal?: AbortSignal) =>
                callerFromCredential(opened.credential, opened.profile.armScope, signal),
            },
          },
        };
      },
    },
  );
  // Quitting while the sandbox was still starting: let it finish so it can be stopped cleanly
  // (no listener, child process or temporary CA left behind).
  const connection = await opening?.catch(() => undefined);
  await connection?.close();
  return code;
}
