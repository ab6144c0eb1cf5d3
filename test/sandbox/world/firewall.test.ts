/**
 * The storage firewall model (world/access.ts): which origins a networkRuleSet admits. Nodes come
 * from their pool's subnet (virtual network rules), direct callers and nodes of pools without a
 * virtual network from the internet (IP rules), the Batch service as a trusted Azure service
 * (bypass AzureServices).
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../../../source/sandbox/world/clock.js';
import { World } from '../../../source/sandbox/world/world.js';
import { firewallAllows, ipRuleMatches, type NetworkOrigin } from '../../../source/sandbox/world/access.js';
import { addStorage, type Place } from '../../../source/sandbox/world/seed-build.js';

const place: Place = { subscriptionId: '00000000-0000-0000-0000-00000000000f', resourceGroup: 'rg', location: 'westeurope' };
const SUBNET = (name: string) => `/subscriptions/${place.subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/${name}`;

function storage(rules: { bypass?: string; subnets?: string[]; ips?: string[]; open?: boolean }) {
  const account = addStorage(new World(new Clock({ speed: 0 })), place, 'st', rules.open ? undefined : { allowedSubnets: rules.subnets ?? [] });
  account.networkRuleSet.bypass = rules.bypass ?? 'AzureServices';
  account.networkRuleSet.ipRules = (rules.ips ?? []).map((value) => ({ value, action: 'Allow' as const }));
  return account;
}

describe('ipRuleMatches', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.0/8', '127.255.1.2', true],
    ['10.0.0.0/24', '10.0.1.1', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['203.0.113.7/32', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.8', false],
    ['not-an-ip', '127.0.0.1', false],
    ['127.0.0.1/33', '127.0.0.1', false],
    ['127.0.0.1', '::1', false],
  ])('%s covers %s: %s', (rule, address, expected) => expect(ipRuleMatches(rule, address)).toBe(expected));
});

describe('firewallAllows', () => {
  const node = (name: string): NetworkOrigin => ({ kind: 'subnet', subnetId: SUBNET(name) });
  const direct: NetworkOrigin = { kind: 'internet', address: '127.0.0.1' };
  const service: NetworkOrigin = { kind: 'trustedService' };

  it('admits everyone when the default action is Allow', () => {
    const open = storage({ open: true });
    for (const origin of [node('a'), direct, service, { kind: 'internet' } as const]) expect(firewallAllows(open, origin)).toBe(true);
  });

  it('admits a node only from a listed subnet (ids compare case-insensitively); IP rules do not admit subnets', () => {
    const account = storage({ subnets: [SUBNET('allowed')], ips: ['0.0.0.0/0'] });
    expect(firewallAllows(account, { kind: 'subnet', subnetId: SUBNET('ALLOWED').toLowerCase() })).toBe(true);
    expect(firewallAllows(account, node('other'))).toBe(false);
  });

  it('admits a direct caller only through an IP rule; a pool without a virtual network has no address a rule could name', () => {
    expect(firewallAllows(storage({ subnets: [SUBNET('a')] }), direct)).toBe(false);
    expect(firewallAllows(storage({ ips: ['127.0.0.1'] }), direct)).toBe(true);
    expect(firewallAllows(storage({ ips: ['0.0.0.0/0'] }), { kind: 'internet' })).toBe(false);
  });

  it('admits the Batch service when bypass includes AzureServices, and only then', () => {
    expect(firewallAllows(storage({ bypass: 'Logging, Metrics, AzureServices' }), service)).toBe(true);
    expect(firewallAllows(storage({ bypass: 'AzureServices' }), service)).toBe(true);
    expect(firewallAllows(storage({ bypass: 'None' }), service)).toBe(false);
    expect(firewallAllows(storage({ bypass: 'Logging, Metrics' }), service)).toBe(false);
  });
});
