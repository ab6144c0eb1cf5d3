/**
 * The header says who is signed in at 80 columns: the subscription, the cloud label and the
 * credential kind shorten first, "as <who>" stays. Full when there is room.
 */
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fitHeader,
  headerLine,
  shortCloud,
  splitCredential,
} from '../../source/ui/components/header-text.js';
import { expectFits, renderApp } from './render-app.js';

afterEach(() => {
  cleanup();
});

const SUB = 'cd4a870d-3890-446f-ad26-0ad11601203e';
const CLIENT = '9f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f';
const SANDBOX = {
  cloudLabel: 'sandbox https://127.0.0.1:45123',
  subscription: SUB,
  credentialLabel: `ClientSecretCredential (${CLIENT}) as app ${CLIENT}`,
};
const symbols = { bar: ' │ ', ellipsis: '…' };
const line = (width: number, full = SANDBOX) =>
  headerLine(fitHeader(full, width, symbols), ' │ ', '');

describe('fitting the header', () => {
  it.each([
    [
      200,
      `sandbox https://127.0.0.1:45123 │ sub ${SUB} │ ClientSecretCredential (${CLIENT}) as app ${CLIENT}`,
    ],
    [150, `sandbox https://127.0.0.1:45123 │ sub ${SUB} │ ClientSecretCredential as app ${CLIENT}`],
    [
      120,
      `sandbox https://127.0.0.1:45123 │ sub cd4a870d… │ ClientSecretCredential as app ${CLIENT}`,
    ],
    [100, `sandbox :45123 │ sub cd4a870d… │ ClientSecretCredential as app ${CLIENT}`],
    [80, `sandbox :45123 │ sub cd4a870d… │ as app ${CLIENT}`],
    [68, 'sandbox :45123 │ sub cd4a870d… │ as app 9f0c1d2e…'],
  ])('at %i columns: %s', (width, expected) => {
    expect(line(width)).toBe(expected);
    expect([...expected].length).toBeLessThanOrEqual(width);
  });

  it('keeps a label that has no principal as it is', () => {
    expect(line(60, { ...SANDBOX, credentialLabel: 'signing in…' })).toBe(
      'sandbox :45123 │ sub cd4a870d… │ signing in…',
    );
  });

  it.each([
    ['sandbox https://127.0.0.1:45123', 'sandbox :45123'],
    ['sandbox (https://127.0.0.1:1)', 'sandbox (:1)'],
    ['contoso https://management.contoso.example/', 'contoso management.contoso.example'],
    ['profile /home/op/.config/cloud.json', 'profile cloud.json'],
    ['Azure', 'Azure'],
  ])('shortens the cloud label %j to %j', (label, short) => {
    expect(shortCloud(label)).toBe(short);
  });

  it('splits the credential label at " as "', () => {
    expect(splitCredential('DefaultAzureCredential as op@contoso.com')).toEqual({
      credential: 'DefaultAzureCredential',
      who: 'op@contoso.com',
    });
  });
});

describe('the header on screen', () => {
  const session = {
    cloudLabel: SANDBOX.cloudLabel,
    credentialLabel: SANDBOX.credentialLabel,
    subscriptionId: SUB,
  };

  it('says who is signed in at 80x24', async () => {
    const app = await renderApp({ columns: 80, rows: 24 }, { session });
    expect(app.frame().split('\n')[0]).toBe(`sandbox :45123 │ sub cd4a870d… │ as app ${CLIENT}`);
    expectFits(app.frame(), { columns: 80, rows: 24 });
  });

  it('still does with the READ-ONLY badge', async () => {
    const app = await renderApp({ columns: 80, rows: 24 }, { session, readOnly: true });
    expect(app.frame().split('\n')[0]).toMatch(
      /^sandbox :45123 │ sub cd4a870d… │ as app 9f0c1d2e… +READ-ONLY ?$/,
    );
  });

  it('is whole, with the program name, when there is room', async () => {
    const app = await renderApp({ columns: 220, rows: 24 }, { session });
    expect(app.frame().split('\n')[0]?.trimEnd()).toBe(
      `batch-mi-tui │ sandbox https://127.0.0.1:45123 │ sub ${SUB} │ ${SANDBOX.credentialLabel}`,
    );
  });
});
