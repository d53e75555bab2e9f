/**
 * Lets one async loop sleep until an event handler has news for it (a worker's message, a stream's data).
 * A notify() with no one asleep is not kept: the loop looks at its queue before it sleeps.
 */
export class Wakeup {
  private wake: (() => void) | undefined;

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }
}
