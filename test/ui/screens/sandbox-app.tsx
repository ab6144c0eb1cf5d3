/**
 * The shell on the seeded sandbox, through the real SDK clients cloud/ builds (no stubs): the
 * screens' tests read the frame and compare it with what the SDK clients read directly.
 */
import { expect } from 'vitest';
import type { AppProps } from '../../../source/ui/app.js';
import type { Fixture } from '../../azure/sandbox-fixture.js';
import { renderApp } from '../render-app.js';
import type { Size } from '../render-app.js';

/** Sandbox answers can take a moment (first sign-in, 10,000 nodes): wait this long for them. */
export const SANDBOX_WAIT = 15_000;

export async function openOnSandbox(
  fx: Fixture,
  size: Size,
  props: Partial<AppProps> & { as?: 'operator' | 'reader' } = {},
) {
  const { as = 'operator', ...rest } = props;
  const app = await renderApp(size, {
    session: {
      cloudLabel: `sandbox ${fx.profile.armEndpoint}`,
      credentialLabel: as,
      ...(fx.profile.subscriptionId ? { subscriptionId: fx.profile.subscriptionId } : {}),
    },
    connection: {
      status: undefined,
      services: { clients: fx[as], armEndpoint: fx.profile.armEndpoint },
    },
    refreshSeconds: 0.25,
    ...rest,
  });
  const until = (check: (text: string) => void) => app.waitFrame(check, SANDBOX_WAIT);
  return { ...app, until, lines: () => app.frame().split('\n') };
}

/** The table row of the frame whose first cell is `name` (or `name` cut short with …). */
export function rowOf(frame: string, name: string): string {
  const row = frame.split('\n').find((line) => {
    const first = line.slice(2).split(' ')[0] ?? '';
    return first === name || (first.endsWith('…') && name.startsWith(first.slice(0, -1)));
  });
  expect(row, `no row for ${name} in\n${frame}`).toBeDefined();
  return row ?? '';
}

/** 10000 → 10,000, as the screens write counts. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
