/**
 * Simulated time. Node lifecycles and token lifetimes run on it. `speed` scales real time
 * (1 = real time, 60 = a minute per second); tests set speed 0 and step with `advance`.
 */
export class Clock {
  private base: number;
  private realBase: number;
  private offset = 0;
  speed: number;
  private readonly listeners = new Set<() => void>();

  constructor(options: { start?: number; speed?: number } = {}) {
    this.base = options.start ?? Date.now();
    this.realBase = Date.now();
    this.speed = options.speed ?? 1;
  }

  now(): number {
    return this.base + (Date.now() - this.realBase) * this.speed + this.offset;
  }

  setSpeed(speed: number): void {
    this.base = this.now() - this.offset;
    this.realBase = Date.now();
    this.speed = speed;
  }

  /** Moves simulated time forward and lets the world catch up. */
  advance(ms: number): void {
    this.offset += ms;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
