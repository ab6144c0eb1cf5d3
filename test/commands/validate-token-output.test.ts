import { describe, expect, it } from 'vitest';
import { wantsColour, type Output } from '../../source/commands/run-support.js';
import { formatStep, painter, reportJson } from '../../source/commands/validate-token-output.js';
import type { TokenCheckReport } from '../../source/domain/token/check.js';

const failed = {
  step: 'storage' as const,
  status: 'fail' as const,
  summary: 'List Blobs on container inputs of st answered 403 AuthorizationPermissionMismatch',
  reason: 'a missing data role',
  fix: 'az role assignment create …',
  rule: 'MI005' as const,
  flow: 'autostorage-mi' as const,
};

describe('a step as printed', () => {
  it('✓ green, ✗ red, – yellow on a terminal; the same text without colour', () => {
    const colour = painter(true);
    expect(formatStep({ step: 'acquire', status: 'pass', summary: 's' }, colour)[0]).toBe(
      '\u001b[32m✓\u001b[0m 1 acquire a token for https://storage.azure.com/: s',
    );
    expect(formatStep(failed, colour)[0]?.startsWith('\u001b[31m✗\u001b[0m 3 ')).toBe(true);
    const skipped = formatStep(
      { step: 'rbac', status: 'skipped', summary: 's', reason: 'r' },
      colour,
    );
    expect(skipped[0]?.startsWith('\u001b[33m–\u001b[0m 4 ')).toBe(true);
    expect(formatStep(failed, painter(false))).toEqual([
      '✗ 3 storage accepts the token: List Blobs on container inputs of st answered 403 AuthorizationPermissionMismatch',
      '    why: a missing data role',
      '    fix: az role assignment create …',
      '    rule MI005 · in the program: the "autostorage with managed identity" flow',
    ]);
  });

  it('colour only on a terminal without NO_COLOR', () => {
    const output = (isTTY: boolean, env: NodeJS.ProcessEnv) =>
      ({ isTTY, env }) as unknown as Output;
    expect(wantsColour(output(true, {}))).toBe(true);
    expect(wantsColour(output(true, { NO_COLOR: '1' }))).toBe(false);
    expect(wantsColour(output(false, {}))).toBe(false);
  });
});

it('the JSON document carries steps with status, reason and fix, and never more of the token than its first 8 characters', () => {
  const report: TokenCheckReport = {
    source: 's',
    storageUrl: 'https://st.blob.core.windows.net/inputs',
    token: 'eyJ0eXAi…',
    steps: [{ step: 'acquire', status: 'pass', summary: 'ok' }, failed],
    passed: false,
    nodeCommand: 'curl …',
  };
  const doc = reportJson(report);
  expect(doc.steps.map((s) => [s.step, s.status])).toEqual([
    ['acquire', 'pass'],
    ['storage', 'fail'],
  ]);
  expect(doc.steps[1]).toMatchObject({
    reason: 'a missing data role',
    fix: 'az role assignment create …',
    rule: 'MI005',
  });
  expect(doc.token).toBe('eyJ0eXAi…');
});
