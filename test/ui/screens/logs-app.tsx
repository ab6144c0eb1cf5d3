/**
 * The shell on the seeded sandbox with blob storage and per-node IMDS (the Logs and Token
 * screens), walked to a pool's Nodes screen by keys as an operator would.
 */
import { expect } from 'vitest';
import type { StorageFixture } from '../../azure/storage-fixture.js';
import { keys, stripAnsi } from '../render-app.js';
import { openOnSandbox } from './sandbox-app.js';

export const small = { columns: 80, rows: 24 };

export async function openPoolNodes(fx: StorageFixture, account: string, pool: string) {
  const app = await openOnSandbox(fx, small, {
    initialAccount: account,
    connection: {
      status: undefined,
      services: {
        clients: fx.operator,
        armEndpoint: fx.profile.armEndpoint,
        incident: {
          blobService: (url: string) => fx.operator.blobService(url),
          ...(fx.trust.tlsOptions ? { tlsOptions: fx.trust.tlsOptions } : {}),
          ...(fx.profile.imdsBase ? { imdsBase: fx.profile.imdsBase } : {}),
          tenantId: fx.profile.tenantId,
        },
      },
    },
  });
  await app.until((text) => expect(text).toContain(`› ${account}`));
  app.press(keys.enter);
  await app.until((text) => expect(text).toMatch(/pools \(\d+\)/));
  app.press(`/${pool}\r`);
  await app.until((text) => expect(text).toContain(`› ${pool}`));
  app.press(keys.enter);
  await app.until((text) => {
    expect(text.split('\n')[1]).toMatch(/Pools of/);
    expect(text).toMatch(new RegExp(`› ${pool.slice(0, 12)}`));
  });
  app.press(keys.enter);
  await app.until((text) => {
    expect(text.split('\n')[1]).toContain(`Nodes of ${pool}`);
    expect(text).toMatch(/› tvm/);
  });
  /** Every frame Ink wrote, as text: what a secrets scan reads. */
  const allFrames = () => app.frames.map(stripAnsi);
  return { ...app, allFrames };
}

/** Which of `secrets` (whole JWTs, or their signatures) appear in any frame. */
export function leaked(frames: readonly string[], secrets: readonly string[]): string[] {
  return secrets.filter((s) =>
    frames.some(
      (f) => f.includes(s) || (s.split('.').length === 3 && f.includes(s.split('.')[2] ?? '\0')),
    ),
  );
}

/** Records every token the sandbox issues from now on (instrumentation only). */
export function recordTokens(fx: StorageFixture): string[] {
  const issued: string[] = [];
  const tokens = fx.sandbox.services.tokens;
  const issue = tokens.issue.bind(tokens);
  tokens.issue = (input) => {
    const result = issue(input);
    issued.push(result.token);
    return result;
  };
  return issued;
}
