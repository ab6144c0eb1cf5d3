/**
 * The program's only door into the sandbox (`--sandbox`, `batch-mi-tui sandbox`). The import is
 * dynamic so that a normal start-up never loads it, and a type-only import keeps the layer rule
 * honest: nothing of the sandbox's code is bound here until it is asked for.
 *
 * The sandbox needs Azurite, a dev dependency the published package does not carry; without it
 * startSandbox throws one sentence saying what to install, and the rest of the program is unaffected.
 */
import type { RunningSandbox, StartSandboxOptions } from '../sandbox/index.js';
import { parseProfile, type CloudProfile } from './profile.js';

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
