/**
 * Where the session will point, before anything is started: what the first frame shows. Apart
 * from cloud/connect so that the first frame loads nothing of the Azure SDKs.
 */
import type { CommonOptions } from '../options.js';

export function describeTarget(options: CommonOptions): string {
  if (options.sandbox) return 'sandbox (starting…)';
  if (options.cloud) return `profile ${options.cloud}`;
  return 'Azure';
}
