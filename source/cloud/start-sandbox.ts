/**
 * The program's only door into the sandbox (`--sandbox`, `batch-mi-tui sandbox`). The import is
 * dynamic so that a normal start-up never loads it: nothing of the sandbox's code is bound here
 * until it is asked for.
 *
 * The sandbox needs Azurite, a dev dependency the published package does not carry; without it
 * startSandbox throws one sentence saying what to install, and the rest of the program is unaffected.
 */
import { parseProfile, type CloudProfile } from './profile.js';

// The sandbox's one entry, named only here and only as a module to load on demand: its types
// are read off the module so that nothing else of the sandbox is imported by the program.
// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- the one entry, read as a module type on purpose
type SandboxModule = typeof import('../sandbox/index.js');
type StartSandboxOptions = NonNullable<Parameters<SandboxModule['startSandbox']>[0]>;
type RunningSandbox = Awaited<ReturnType<SandboxModule['startSandbox']>>;

export interface EmbeddedSandbox {
  profile: CloudProfile;
  /** The running sandbox (world, faults, clock) for tests and the standalone command. */
  sandbox: RunningSandbox;
  stop(): Promise<void>;
}

export type SandboxOptions = Pick<
  StartSandboxOptions,
  'port' | 'clockSpeed' | 'propagationMs' | 'waitForStorage' | 'onError'
>;

export async function startEmbeddedSandbox(options: SandboxOptions = {}): Promise<EmbeddedSandbox> {
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox(options);
  return {
    profile: parseProfile(sandbox.profile, 'of the sandbox'),
    sandbox,
    stop: () => sandbox.stop(),
  };
}
