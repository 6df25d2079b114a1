/** A promise-chain mutex: `run(f)` starts f after every earlier run has settled. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(f: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(f);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
