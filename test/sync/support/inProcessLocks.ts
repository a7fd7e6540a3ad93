import type { SyncLockManager } from '../../../src/index.js';

/**
 * A stand-in for the Web Locks API (`navigator.locks`), which Node does not have; the real one runs in the Chromium
 * browser test. One `LockRegistry` is the browser; each tab gets a manager of its own. It implements exactly the part
 * the executor uses: `request(name, { ifAvailable: true }, callback)`, where the lock is held until the promise the
 * callback returns settles, and `crash()` does what the browser does when a tab dies: it lets the tab's locks go.
 */
export class LockRegistry {
  readonly #held = new Map<string, { owner: object; release: () => void }>();

  manager(): SyncLockManager & { crash(): void; holds(name: string): boolean } {
    const owner = {};
    const registry = this.#held;
    return {
      request(name, options, callback) {
        if (options.ifAvailable !== true) return Promise.reject(new TypeError('only ifAvailable requests are modelled'));
        if (registry.has(name)) return Promise.resolve(callback(null));
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        registry.set(name, { owner, release });
        const result = Promise.resolve(callback({ name, mode: 'exclusive' }));
        const free = (): void => {
          if (registry.get(name)?.owner === owner) registry.delete(name);
        };
        void Promise.race([result.then(() => undefined, () => undefined), released]).then(free);
        return result;
      },
      crash() {
        for (const [name, entry] of registry) if (entry.owner === owner) {
          registry.delete(name);
          entry.release();
        }
      },
      holds(name) {
        return registry.get(name)?.owner === owner;
      },
    };
  }
}
