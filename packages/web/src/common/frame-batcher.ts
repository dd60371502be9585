/**
 * Collects items (socket events) and hands them over once per animation frame, so a
 * burst of hundreds of events per second costs one state update and one render per
 * frame, not one per event. In a hidden tab animation frames stop; a timer takes over
 * so the state stays current for when the tab is shown again.
 */
export interface FrameBatcher<T> {
  push(item: T): void;
  /** Apply what is pending now (tests, or before a snapshot replaces the state). */
  flush(): void;
}

export function createFrameBatcher<T>(apply: (items: T[]) => void): FrameBatcher<T> {
  let pending: T[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    apply(items);
  };

  return {
    push(item) {
      pending.push(item);
      if (scheduled) return;
      scheduled = true;
      if (document.visibilityState === 'hidden') setTimeout(flush, 250);
      else requestAnimationFrame(flush);
    },
    flush,
  };
}
