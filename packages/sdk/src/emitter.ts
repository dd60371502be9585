type AnyHandler = (...args: never[]) => unknown;

/** Called when a handler throws or returns a promise that rejects. */
export type HandlerErrorSink = (error: unknown, event: string, args: readonly unknown[]) => void;

export interface Emitter<M extends { [K in keyof M]: AnyHandler }> {
  on<E extends keyof M & string>(event: E, handler: M[E]): void;
  once<E extends keyof M & string>(event: E, handler: M[E]): void;
  off<E extends keyof M & string>(event: E, handler: M[E]): void;
  emit<E extends keyof M & string>(event: E, ...args: Parameters<M[E]>): void;
  count(event: keyof M & string): number;
}

interface Entry {
  handler: AnyHandler;
  once: boolean;
}

/**
 * A small typed emitter whose handlers run in the order they were added and are isolated:
 * a handler that throws, or whose promise rejects, is reported to `onError` and the next
 * handler still runs. (Node's EventEmitter would stop at the first throw.)
 */
export function createEmitter<M extends { [K in keyof M]: AnyHandler }>(onError: HandlerErrorSink): Emitter<M> {
  const handlers = new Map<string, Entry[]>();

  const add = (event: string, handler: AnyHandler, once: boolean): void => {
    const list = handlers.get(event) ?? [];
    list.push({ handler, once });
    handlers.set(event, list);
  };

  return {
    on: (event, handler) => add(event, handler, false),
    once: (event, handler) => add(event, handler, true),
    off(event, handler) {
      const list = handlers.get(event);
      if (!list) return;
      const index = list.findIndex((entry) => entry.handler === handler);
      if (index >= 0) list.splice(index, 1);
    },
    emit(event, ...args) {
      const list = handlers.get(event);
      if (!list || list.length === 0) return;
      // A snapshot: handlers added or removed by a handler take effect from the next event.
      for (const entry of [...list]) {
        if (entry.once) {
          const index = list.indexOf(entry);
          if (index >= 0) list.splice(index, 1);
        }
        try {
          const result = (entry.handler as (...a: unknown[]) => unknown)(...args);
          if (isThenable(result)) result.then(undefined, (error: unknown) => onError(error, event, args));
        } catch (error) {
          onError(error, event, args);
        }
      }
    },
    count: (event) => handlers.get(event)?.length ?? 0,
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
