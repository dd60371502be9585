import { z } from 'zod';
import {
  agentPauseCommand,
  agentQueueCommand,
  agentStateInput,
  callControlAck,
  callDialAck,
  callDialCommand,
  callHangupCommand,
  callTransferCommand,
} from '../call-control.js';
import { failedAck, realtimeRow } from '../commands.js';
import { errorAnswer, wireError } from '../errors.js';
import { callEvent, callEventInput, variablesSchema } from '../events.js';
import { eventsPage, healthAnswer, ingestBatch, ingestResult, readyAnswer, realtimePage, variablesAnswer } from '../http-answers.js';
import { streamEvent } from '../stream.js';
import { agentReport, agentReportRow, queueReport, queueReportRow } from '../reports.js';
import { scopeSchema } from '../scope.js';
import { tokenAnswer, tokenCreateBody, tokenCreated, tokenInfo, tokenList, tokenRevoked, tokenScopeBody } from '../tokens.js';
import { webhookCreated, webhookDefinition, webhookInfo, webhookList, webhookRemoved } from '../webhooks.js';

const sourceEvent = z.union([callEventInput, agentStateInput]);

/**
 * Every schema the HTTP API's document names, by the name it has there
 * (`#/components/schemas/<name>`). The document and its test both read this table, so
 * an answer is checked against the very schema it is documented with.
 */
export const httpComponents = {
  WireError: wireError,
  ErrorAnswer: errorAnswer,
  FailedAck: failedAck,
  CallEvent: callEvent,
  StoredEvent: streamEvent,
  SourceEvent: sourceEvent,
  IngestBody: z.union([sourceEvent, z.array(sourceEvent)]),
  IngestResult: ingestResult,
  IngestBatch: ingestBatch,
  EventsPage: eventsPage,
  Variables: variablesSchema,
  VariablesBody: z.union([variablesSchema, z.object({ variables: variablesSchema })]),
  VariablesAnswer: variablesAnswer,
  RealtimeRow: realtimeRow,
  RealtimePage: realtimePage,
  QueueReportRow: queueReportRow,
  QueueReport: queueReport,
  AgentReportRow: agentReportRow,
  AgentReport: agentReport,
  CallDialBody: callDialCommand,
  CallHangupBody: callHangupCommand.omit({ uniqueid: true }),
  CallTransferBody: z.union([callTransferCommand.options[0].omit({ uniqueid: true }), callTransferCommand.options[1].omit({ uniqueid: true })]),
  AgentPauseBody: agentPauseCommand.omit({ peer: true }),
  AgentQueueBody: agentQueueCommand.omit({ peer: true }),
  CallDialAck: callDialAck,
  CallControlAck: callControlAck,
  HealthAnswer: healthAnswer,
  ReadyAnswer: readyAnswer,
  WebhookDefinition: webhookDefinition,
  WebhookInfo: webhookInfo,
  WebhookList: webhookList,
  WebhookCreated: webhookCreated,
  WebhookRemoved: webhookRemoved,
  Scope: scopeSchema,
  TokenInfo: tokenInfo,
  TokenList: tokenList,
  TokenCreateBody: tokenCreateBody,
  TokenCreated: tokenCreated,
  TokenScopeBody: tokenScopeBody,
  TokenAnswer: tokenAnswer,
  TokenRevoked: tokenRevoked,
} as const;

export type HttpComponentName = keyof typeof httpComponents;

/** The components as JSON Schema 2020-12 (OpenAPI 3.1's dialect), referring to each other by `$ref`. */
export function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(httpComponents)) registry.add(schema, { id });
  // Refinements (no CR/LF, a peer's characters) cannot be written in JSON Schema; their messages are in the docs.
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
  const out: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    out[id] = rest;
  }
  return out;
}
