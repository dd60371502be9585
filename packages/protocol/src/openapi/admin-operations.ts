import { path, type PathItem } from './operation.js';

/** The admin role's routes (protocol 1.2, HTTP only): webhooks and tokens. */

const adminErrors = [400, 401, 403, 429, 503] as const;
const id = (what: string) => path('id', `The ${what}\u2019s id (from the list).`);

export const adminOperations: Record<string, PathItem> = {
  '/api/v1/webhooks': {
    get: {
      summary: 'The webhooks: state, lag, counts, last outcome; never their secrets.',
      roles: ['admin'],
      ok: { 200: { description: 'The webhooks.', schema: 'WebhookList' } },
      errors: [401, 403, 429, 503],
    },
    post: {
      summary: 'Registers a webhook (as `webhook add`); its secret (made by the hub when none is given) is answered this once.',
      roles: ['admin'],
      body: 'WebhookDefinition',
      ok: { 201: { description: 'Registered: it gets the events stored from now on.', schema: 'WebhookCreated' } },
      errors: adminErrors,
    },
  },
  '/api/v1/webhooks/{id}': {
    delete: {
      summary: 'Removes a webhook (as `webhook remove`).',
      roles: ['admin'],
      params: [id('webhook')],
      ok: { 200: { description: 'Removed.', schema: 'WebhookRemoved' } },
      errors: [...adminErrors, 404],
    },
  },
  '/api/v1/tokens': {
    get: {
      summary: 'Every token, revoked ones too (as `token list`); never a secret.',
      roles: ['admin'],
      ok: { 200: { description: 'The tokens, oldest first.', schema: 'TokenList' } },
      errors: [401, 403, 429, 503],
    },
    post: {
      summary: 'Creates a token (as `token create`); its secret is answered this once and stored only as a hash.',
      roles: ['admin'],
      body: 'TokenCreateBody',
      ok: { 201: { description: 'Created.', schema: 'TokenCreated' } },
      errors: adminErrors,
    },
  },
  '/api/v1/tokens/{id}': {
    delete: {
      summary: 'Revokes a token (as `token revoke`): its sessions are disconnected within the token re-check interval.',
      roles: ['admin'],
      params: [id('token')],
      ok: { 200: { description: 'Revoked.', schema: 'TokenRevoked' } },
      errors: [...adminErrors, 404],
    },
  },
  '/api/v1/tokens/{id}/scope': {
    put: {
      summary: 'Sets (`{ queues, peers }`) or removes (`{ clear: true }` or `null`) a token\u2019s scope, keeping its secret (as `token scope`); connected sessions follow within the re-check interval.',
      roles: ['admin'],
      params: [id('token')],
      body: 'TokenScopeBody',
      ok: { 200: { description: 'The token with its new scope.', schema: 'TokenAnswer' } },
      errors: [...adminErrors, 404],
    },
  },
};
