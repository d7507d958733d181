/** One writer per node at a time: a second job for a node waits until the first is done. */
export class NodeLocks {
  private tails = new Map<string, Promise<void>>();

  /** Runs fn when every earlier holder of `key` has finished. */
  async with<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
