/**
 * IMDS listeners: one shared plain-HTTP listener that names the node by path prefix, and, on
 * demand, a listener of a node's own that serves /metadata/... at its root exactly like
 * 169.254.169.254 (its port becomes ComputeNode.imdsPort). Opening them lazily keeps a
 * 10,000-node pool from costing 10,000 ports.
 */
import type { Faults } from '../faults.js';
import { openListener, type OpenListener } from '../http/listener.js';
import type { SandboxTokenService } from '../entra/tokens.js';
import type { World } from '../world/world.js';
import { createImdsHandler, findNode } from './handler.js';

export class ImdsHub {
  private shared?: OpenListener;
  private readonly perNode = new Map<string, OpenListener>();

  constructor(
    private readonly world: World,
    private readonly tokens: SandboxTokenService,
    private readonly faults: Faults,
  ) {}

  async start(port?: number): Promise<string> {
    this.shared = await openListener({
      name: 'imds',
      handler: createImdsHandler(this.world, this.tokens),
      faults: this.faults,
      ...(port !== undefined ? { port } : {}),
    });
    return this.shared.origin;
  }

  /** `http://127.0.0.1:PORT`: the shared listener's origin (the profile's imdsBase). */
  get base(): string {
    if (!this.shared) throw new Error('IMDS is not started.');
    return this.shared.origin;
  }

  /**
   * The IMDS host for one node on the shared listener: set AZURE_POD_IDENTITY_AUTHORITY_HOST to
   * it and ManagedIdentityCredential asks `${it}/metadata/identity/oauth2/token`.
   */
  hostFor(accountName: string, poolName: string, nodeId: string): string {
    return `${this.base}/accounts/${encodeURIComponent(accountName)}/pools/${encodeURIComponent(poolName)}/nodes/${encodeURIComponent(nodeId)}`;
  }

  /** Opens (once) the node's own IMDS listener and records its port on the node. */
  async openForNode(accountName: string, poolName: string, nodeId: string): Promise<string> {
    const key = `${accountName}/${poolName}/${nodeId}`.toLowerCase();
    let listener = this.perNode.get(key);
    if (!listener) {
      const lookup = () => findNode(this.world, accountName, poolName, nodeId);
      if (!lookup())
        throw new Error(`No node ${nodeId} in pool ${poolName} of account ${accountName}.`);
      listener = await openListener({
        name: 'imds',
        handler: createImdsHandler(this.world, this.tokens, lookup),
        faults: this.faults,
      });
      this.perNode.set(key, listener);
    }
    const node = findNode(this.world, accountName, poolName, nodeId);
    if (node) node.imdsPort = listener.port;
    return listener.origin;
  }

  ports(): number[] {
    return [...this.perNode.values(), ...(this.shared ? [this.shared] : [])].map((l) => l.port);
  }

  async close(): Promise<void> {
    const all = [...this.perNode.values(), ...(this.shared ? [this.shared] : [])];
    this.perNode.clear();
    this.shared = undefined;
    await Promise.all(all.map((l) => l.close()));
  }
}
