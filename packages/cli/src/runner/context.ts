import { AsyncLocalStorage } from 'node:async_hooks';

/** The event a handler is running for; kept across its awaits and timers so a late error still names the call. */
export interface HandlerContext {
  event: string;
  uniqueid: string | undefined;
  seq: number | undefined;
}

export const handlerContext = new AsyncLocalStorage<HandlerContext>();

export function contextOf(name: string, payload: unknown): HandlerContext {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as { uniqueid?: unknown; seq?: unknown };
  return {
    event: name,
    uniqueid: typeof p.uniqueid === 'string' ? p.uniqueid : undefined,
    seq: typeof p.seq === 'number' ? p.seq : undefined,
  };
}

/** "up uniqueid=1599601698.94 seq=12", for log lines. */
export function describeContext(ctx: HandlerContext | undefined): string {
  if (!ctx) return 'outside any handler';
  let out = ctx.event;
  if (ctx.uniqueid !== undefined) out += ` uniqueid=${ctx.uniqueid}`;
  if (ctx.seq !== undefined) out += ` seq=${ctx.seq}`;
  return out;
}

/** Errors of commands started inside a handler, tagged with that handler's event (see scope.ts). */
const errorContexts = new WeakMap<object, HandlerContext>();

export function tagError(error: unknown, ctx: HandlerContext | undefined): void {
  if (ctx && typeof error === 'object' && error !== null && !errorContexts.has(error)) errorContexts.set(error, ctx);
}

export function taggedContext(error: unknown): HandlerContext | undefined {
  return typeof error === 'object' && error !== null ? errorContexts.get(error) : undefined;
}
