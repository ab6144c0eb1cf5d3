/**
 * The sandbox's listeners and services, put together: TLS material, the token service, Entra,
 * IMDS, the storage gate in front of Azurite, ARM, one Batch listener per account (the legacy
 * Batch client needs Batch at the root of an origin, see specs/README.md), and a control
 * listener for faults. All on 127.0.0.1.
 */
import type { SandboxServices, WorldHandlers } from './contracts.js';
import { createEntraHandler } from './entra/handler.js';
import { SandboxTokenService } from './entra/tokens.js';
import { Faults, ruleFromJson } from './faults.js';
import { openListener, type OpenListener } from './http/listener.js';
import type { Handler } from './http/types.js';
import { ImdsHub } from './imds/hub.js';
import { SandboxStorageAccess } from './storage-gate/access.js';
import { startAzurite, type RunningAzurite } from './storage-gate/azurite.js';
import { StorageGate } from './storage-gate/gate.js';
import { AccountKeys } from './storage-gate/keys.js';
import { createSandboxTls, type SandboxTls } from './tls.js';
import type { World } from './world/world.js';

export interface SandboxServerOptions {
  world: World;
  /** ARM's port; Entra, storage, IMDS and control take the next four. Omitted: the OS picks. */
  port?: number;
  /** Where Azurite is installed (see storage-gate/azurite.ts); undefined: storage answers 503. */
  azuriteDir?: string;
  onError?: (error: unknown) => void;
}

export class SandboxServer {
  readonly faults = new Faults();
  readonly keys = new AccountKeys();
  readonly tokens: SandboxTokenService;
  readonly imds: ImdsHub;
  readonly storage: SandboxStorageAccess;
  /** Settles when Azurite is up (rejects if it could not start). */
  readonly storageReady: Promise<void>;
  private readonly gate: StorageGate;
  private readonly azurite: Promise<RunningAzurite>;
  private releaseStorage: (start: boolean) => void = () => undefined;
  private readonly listeners: OpenListener[] = [];
  private readonly batchListeners = new Map<string, Promise<OpenListener>>();
  private handlers?: WorldHandlers;
  private entraOrigin = '';
  services!: SandboxServices;
  controlOrigin = '';

  private constructor(
    readonly world: World,
    readonly tls: SandboxTls,
    tokens: SandboxTokenService,
    private readonly options: SandboxServerOptions,
  ) {
    this.tokens = tokens;
    this.imds = new ImdsHub(world, this.tokens, this.faults);
    // Azurite starts once the listeners are up, so that its loading does not compete with them.
    const dir = options.azuriteDir;
    this.azurite = new Promise<boolean>((release) => (this.releaseStorage = release)).then(
      (start) =>
        start && dir
          ? startAzurite(dir, tls)
          : Promise.reject(
              new Error(
                dir ? 'The sandbox stopped before Azurite started.' : 'Azurite is not installed.',
              ),
            ),
    );
    this.storageReady = this.azurite.then(() => undefined);
    // Nobody may be waiting yet: keep a failed start from surfacing as an unhandled rejection.
    this.storageReady.catch(() => undefined);
    this.gate = new StorageGate(
      world,
      this.tokens,
      this.keys,
      this.azurite,
      tls.caPem,
      () => this.entraOrigin,
    );
    this.storage = new SandboxStorageAccess(world, this.gate);
  }

  static async start(options: SandboxServerOptions): Promise<SandboxServer> {
    const [tls, tokens] = await Promise.all([
      createSandboxTls(),
      SandboxTokenService.create(options.world),
    ]);
    const server = new SandboxServer(options.world, tls, tokens, options);
    try {
      await server.open();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private async open(): Promise<void> {
    const tls = { key: this.tls.keyPem, cert: this.tls.certPem };
    const port = (offset: number) =>
      this.options.port !== undefined ? { port: this.options.port + offset } : {};
    const common = {
      tls,
      faults: this.faults,
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    };
    const arm: Handler = (req) => this.handlers?.arm(req);
    const [armL, entraL, storageL] = await Promise.all([
      openListener({ ...common, name: 'arm', handler: arm, ...port(0) }),
      openListener({
        ...common,
        name: 'entra',
        handler: createEntraHandler(this.world, this.tokens),
        ...port(1),
      }),
      openListener({ ...common, name: 'storage', handler: this.gate.handler, ...port(2) }),
    ]);
    this.listeners.push(armL, entraL, storageL);
    this.entraOrigin = entraL.origin;
    await this.imds.start(this.options.port !== undefined ? this.options.port + 3 : undefined);
    const control = await openListener({
      tls,
      name: 'control',
      handler: this.controlHandler(),
      ...port(4),
    });
    this.listeners.push(control);
    this.controlOrigin = control.origin;
    this.services = {
      world: this.world,
      tokens: this.tokens,
      storage: this.storage,
      endpoints: { arm: armL.origin, entra: entraL.origin, storage: storageL.origin },
      openBatchEndpoint: (accountArmId) => this.openBatchEndpoint(accountArmId),
    };
    this.releaseStorage(true);
  }

  /** Every port the sandbox listens on, Azurite's included (for the no-leftovers test). */
  async listeningPorts(): Promise<number[]> {
    const batch = await Promise.all([...this.batchListeners.values()]);
    const azurite = await this.azurite.catch(() => undefined);
    return [...this.listeners, ...batch]
      .map((l) => l.port)
      .concat(this.imds.ports(), azurite ? [azurite.port] : []);
  }

  /** Mounts the world's ARM and Batch handlers (built from `services`). */
  mount(handlers: WorldHandlers): void {
    this.handlers = handlers;
  }

  /** Opens (once per account) the account's Batch listener; returns `127.0.0.1:PORT`. */
  async openBatchEndpoint(accountArmId: string): Promise<string> {
    const key = accountArmId.toLowerCase();
    let listener = this.batchListeners.get(key);
    if (!listener) {
      const handler: Handler = (req) => this.handlers?.batch(accountArmId)(req);
      listener = openListener({
        name: 'batch',
        handler,
        tls: { key: this.tls.keyPem, cert: this.tls.certPem },
        faults: this.faults,
        ...(this.options.onError ? { onError: this.options.onError } : {}),
      });
      this.batchListeners.set(key, listener);
    }
    return `127.0.0.1:${(await listener).port}`;
  }

  /**
   * Derives what the world cannot know before the listeners exist: each storage account's
   * path-style blob endpoint on the gate, and each Batch account's own endpoint.
   */
  async syncWorld(): Promise<void> {
    const storageOrigin = this.services.endpoints.storage;
    for (const account of this.world.storageAccounts.values())
      account.blobEndpoint = `${storageOrigin}/${account.name}/`;
    for (const account of this.world.batchAccounts.values())
      account.accountEndpoint = await this.openBatchEndpoint(account.id);
  }

  /** `GET/POST/DELETE /faults`: the fault API for a sandbox running in another process. */
  private controlHandler(): Handler {
    return (req) => {
      if (req.path !== '/faults') return undefined;
      if (req.method === 'GET')
        return {
          status: 200,
          body: this.faults.list().map((f) => ({ ...f, match: f.match?.source })),
        };
      if (req.method === 'DELETE') {
        this.faults.clear();
        return { status: 204 };
      }
      if (req.method === 'POST') {
        let rule;
        try {
          rule = ruleFromJson(JSON.parse(req.body.toString('utf8')));
        } catch {
          rule = undefined;
        }
        if (!rule)
          return {
            status: 400,
            body: {
              error: {
                code: 'InvalidFault',
                message: 'A fault needs kind latency, throttle, error or drop.',
              },
            },
          };
        return { status: 201, body: { id: this.faults.add(rule) } };
      }
      return { status: 405 };
    };
  }

  async stop(): Promise<void> {
    this.releaseStorage(false);
    const batch = await Promise.allSettled([...this.batchListeners.values()]);
    this.batchListeners.clear();
    const closing = [
      ...this.listeners.splice(0).map((l) => l.close()),
      ...batch.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])),
      this.imds.close(),
    ];
    await Promise.allSettled(closing);
    this.gate.close();
    // Azurite may still be starting: wait for it, then close it, so that nothing is left behind.
    const azurite = await this.azurite.catch(() => undefined);
    await azurite?.close();
    await this.tls.dispose();
  }
}
