import { randomUUID } from 'node:crypto';
import {
  CallControlLimits,
  CtiError,
  ErrorCode,
  callControlCommandNames,
  errorCode,
  toCtiError,
  type CallControlOk,
} from '@shuttle-cti/protocol';
import type { Server } from 'socket.io';
import { z } from 'zod';
import type { CallControlService, RemoteCallControl } from '../core/call-control.js';
import type { Logger } from '../logger.js';

/**
 * Call control across hubs: a command reaching a hub that runs no PBX source is carried
 * out by one that does. A probe (with the adapter's ack) finds the hubs with a source; the
 * command goes to the first of them, whose answer comes back as a message of its own, so
 * a CallDial may wait for the agent's phone far longer than the adapter's ack timeout.
 */
const events = {
  probe: 'shuttle:call-control-probe',
  request: 'shuttle:call-control',
  result: 'shuttle:call-control-result',
} as const;

const hubId = z.string().min(1).max(64);
const probeMessage = z.object({ hub: hubId });
const requestMessage = z.object({
  hub: hubId,
  to: hubId,
  request: z.string().min(1).max(64),
  name: z.enum(callControlCommandNames),
  command: z.record(z.string(), z.unknown()),
  check: z.object({ peerOnCall: z.string().max(256).optional(), channelId: z.string().max(100).optional(), leg: z.literal('agent').optional() }),
});
const resultMessage = z.object({
  hub: hubId,
  to: hubId,
  request: z.string().min(1).max(64),
  result: z.object({ ok: z.literal(true), id: z.string(), uniqueid: z.string().optional() }).optional(),
  error: z.object({ code: errorCode, message: z.string(), field: z.string().optional() }).optional(),
});

export function createCallControlRelay(deps: {
  io: Server;
  hub: string;
  logger: Logger;
  isUp: () => boolean;
  probeTimeoutMs: number;
}): RemoteCallControl & { serve(local: CallControlService): void; close(): void } {
  const { io, hub, logger } = deps;
  const waiting = new Map<string, { resolve(ok: CallControlOk): void; reject(error: CtiError): void }>();

  function on<S extends z.ZodType>(event: string, schema: S, handle: (m: z.infer<S>, ack?: (v: unknown) => void) => void): void {
    io.on(event, (raw: unknown, ack?: unknown) => {
      const parsed = schema.safeParse(raw);
      const reply = typeof ack === 'function' ? (ack as (v: unknown) => void) : undefined;
      if (!parsed.success) {
        logger.warn({ event }, 'ignored a malformed call-control message from another hub');
        reply?.(null);
        return;
      }
      handle(parsed.data, reply);
    });
  }

  /** Takes the probes and requests of other hubs: built once this hub's service exists (it runs the PBX source, or answers that it does not). */
  function serve(service: CallControlService): void {
    on(events.probe, probeMessage, (_m, ack) => ack?.(service.local ? hub : null));
    on(events.request, requestMessage, (m) => {
      if (m.to !== hub) return;
      const answer = (body: Partial<z.infer<typeof resultMessage>>): void => {
        io.serverSideEmit(events.result, { hub, to: m.hub, request: m.request, ...body });
      };
      service.runLocal(m.name, m.command, m.check).then(
        (result) => answer({ result }),
        (error: unknown) => {
          const e = toCtiError(error);
          answer({ error: e.code === ErrorCode.INTERNAL ? { code: ErrorCode.UNAVAILABLE, message: 'the hub running the PBX source failed' } : e.toWire() });
        },
      );
    });
  }

  on(events.result, resultMessage, (m) => {
    if (m.to !== hub) return;
    const w = waiting.get(m.request);
    if (!w) return;
    waiting.delete(m.request);
    if (m.result) w.resolve(m.result);
    else w.reject(new CtiError(m.error?.code ?? ErrorCode.UNAVAILABLE, m.error?.message ?? 'no answer', { field: m.error?.field }));
  });

  function probe(): Promise<string[]> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve([]), deps.probeTimeoutMs + 500);
      io.serverSideEmit(events.probe, { hub }, (_error: Error | null, responses: unknown[] | undefined) => {
        clearTimeout(timer);
        resolve((responses ?? []).filter((r): r is string => typeof r === 'string'));
      });
    });
  }

  return {
    serve,
    async run(name, command, check) {
      if (!deps.isUp()) throw new CtiError(ErrorCode.UNAVAILABLE, 'the PBX source runs on another hub, which cannot be reached (Redis is down)');
      const [target] = (await probe()).sort();
      if (target === undefined) throw new CtiError(ErrorCode.NOT_SUPPORTED, 'no hub runs a source that can control calls');
      const request = randomUUID();
      const seconds = name === 'CallDial' ? ((command as { timeout?: number }).timeout ?? CallControlLimits.defaultTimeoutSeconds) + 15 : 15;
      return new Promise<CallControlOk>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(request);
          reject(new CtiError(ErrorCode.TIMEOUT, `the hub running the PBX source did not answer within ${seconds} s`));
        }, seconds * 1000);
        waiting.set(request, {
          resolve: (ok) => {
            clearTimeout(timer);
            resolve(ok);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        io.serverSideEmit(events.request, { hub, to: target, request, name, command, check });
      });
    },
    close() {
      for (const w of waiting.values()) w.reject(new CtiError(ErrorCode.UNAVAILABLE, 'the hub is shutting down'));
      waiting.clear();
    },
  };
}
