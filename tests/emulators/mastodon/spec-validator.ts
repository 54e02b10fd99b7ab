// Checks every request the emulator receives and every answer it gives against the community
// OpenAPI 3.1 description of Mastodon's client API (tests/fixtures/specs/mastodon.openapi.json).
// openapi-backend does the routing, parameter parsing and $ref resolution; its validators are
// Ajv 2020-12 instances (OpenAPI 3.1 schemas are JSON Schema 2020-12: `type: [..., 'null']` etc.).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';

const SPEC_PATH = fileURLToPath(new URL('../../fixtures/specs/mastodon.openapi.json', import.meta.url));

export interface Violation {
  method: string;
  path: string;
  message: string;
}

/**
 * Where the description is wrong about Mastodon, patched before use. Each entry says why; anything
 * else that does not match is a violation.
 */
export const SPEC_PATCHES: ReadonlyArray<{ what: string; why: string }> = [
  {
    what: 'POST /api/v1/statuses: Idempotency-Key header schema object → string',
    why: 'HTTP header values are strings; Mastodon documents the key as "any arbitrary string".',
  },
  {
    what: 'POST /api/v1/statuses: request body oneOf [TextStatus, MediaStatus, PollStatus] → anyOf',
    why: 'A status with text and images satisfies both TextStatus and MediaStatus; Mastodon accepts it.',
  },
  {
    what: 'Status.quote: oneOf [Quote, ShallowQuote, null] → anyOf',
    why: 'ShallowQuote only requires `state`, so every Quote also matches it and oneOf can never pass.',
  },
  {
    what: 'V1Instance: `configuration` is not required',
    why: 'Pleroma and Akkoma before 2.5 answer GET /api/v1/instance without it and publish their limit as `max_toot_chars` (lib/pleroma/web/mastodon_api/views/instance_view.ex); Colonnade reads both.',
  },
  {
    what: 'Notification: `group_key` is not required',
    why: 'Added in Mastodon 4.3 (api_versions.mastodon 2, Notification::Groups); Mastodon 4.2 and earlier, Pleroma and Akkoma answer GET /api/v1/notifications without it, and the emulator does so below API version 2.',
  },
  {
    what: 'GET /api/v1/statuses: the 422 body is Error, not ValidationError (no `details`)',
    why: 'More than 20 ids raise Mastodon::ValidationError (StatusesController#check_statuses_limit), which Api::ErrorHandling answers as `{ error: e.to_s }` (app/controllers/concerns/api/error_handling.rb).',
  },
  {
    what: 'ScheduledStatus.params.visibility may be null',
    why: 'The params are the options as the request sent them (PostStatusService#scheduled_options), so a post scheduled without `visibility` keeps null there; the description’s own ScheduledStatus example shows `"visibility": null`.',
  },
  {
    what: 'GET /oauth/authorize: 302 is an answer',
    why: 'Mastodon redirects to the redirect_uri on approval; the description lists only 200.',
  },
];

/** Statuses the description leaves out but Mastodon answers (see SPEC_PATCHES). */
const EXTRA_STATUSES: Record<string, number[]> = { getOauthAuthorize: [302] };

interface JsonObject {
  [key: string]: unknown;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(value: unknown, ...keys: string[]): JsonObject {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) throw new Error(`The Mastodon description has no ${keys.join('.')}`);
    current = current[key];
  }
  if (!isObject(current)) throw new Error(`The Mastodon description has no ${keys.join('.')}`);
  return current;
}

function patchSpec(spec: JsonObject): void {
  const create = child(spec, 'paths', '/api/v1/statuses', 'post');
  const parameters = create.parameters;
  if (Array.isArray(parameters)) {
    for (const p of parameters) {
      if (isObject(p) && p.name === 'Idempotency-Key') p.schema = { type: 'string' };
    }
  }
  oneOfToAnyOf(child(create, 'requestBody', 'content', 'application/json', 'schema'));
  oneOfToAnyOf(child(spec, 'components', 'schemas', 'Status', 'properties', 'quote'));
  const v1Instance = child(spec, 'components', 'schemas', 'V1Instance');
  if (!Array.isArray(v1Instance.required) || !v1Instance.required.includes('configuration'))
    throw new Error('The Mastodon description changed: a patch no longer applies');
  v1Instance.required = v1Instance.required.filter((r) => r !== 'configuration');
  const notification = child(spec, 'components', 'schemas', 'Notification');
  if (!Array.isArray(notification.required) || !notification.required.includes('group_key'))
    throw new Error('The Mastodon description changed: a patch no longer applies');
  notification.required = notification.required.filter((r) => r !== 'group_key');
  const batch = child(spec, 'paths', '/api/v1/statuses', 'get', 'responses', '422', 'content', 'application/json');
  const schema = child(batch, 'schema');
  if (schema.$ref !== '#/components/schemas/ValidationError')
    throw new Error('The Mastodon description changed: a patch no longer applies');
  batch.schema = { $ref: '#/components/schemas/Error' };
  delete batch.examples;
  const scheduledParams = child(spec, 'components', 'schemas', 'ScheduledStatus', 'properties', 'params', 'properties');
  const visibility = child(scheduledParams, 'visibility');
  if (visibility.$ref !== '#/components/schemas/StatusVisibilityEnum')
    throw new Error('The Mastodon description changed: a patch no longer applies');
  scheduledParams.visibility = {
    anyOf: [{ $ref: '#/components/schemas/StatusVisibilityEnum' }, { type: 'null' }],
  };
}

function oneOfToAnyOf(schema: JsonObject): void {
  if (!Array.isArray(schema.oneOf)) throw new Error('The Mastodon description changed: a patch no longer applies');
  schema.anyOf = schema.oneOf;
  delete schema.oneOf;
}

let cachedSpec: string | undefined;
let loading: Promise<MastodonSpec> | undefined;

function loadSpec(): Document {
  cachedSpec ??= readFileSync(SPEC_PATH, 'utf8');
  const spec = JSON.parse(cachedSpec) as JsonObject;
  patchSpec(spec);
  return spec as unknown as Document;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function makeAjv(opts: object): Ajv2020 {
  const ajv = new Ajv2020({ ...opts, strict: false, allErrors: true });
  addFormats(ajv);
  // Formats the description uses beyond JSON Schema's own.
  ajv.addFormat('iso-639-1', /^[a-z]{2,3}$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('scopes', /^[a-z:]+( [a-z:]+)*$/);
  return ajv;
}

export interface ParsedRequest {
  method: string;
  path: string;
  /** Raw query string without '?'. */
  query: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface MatchedRequest {
  operationId: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
}

function describeErrors(errors: ReadonlyArray<{ instancePath?: string; message?: string }> | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath ?? ''} ${e.message ?? ''}`.trim())
    .join('; ');
}

/**
 * A query string as Rails reads it for Mastodon: `key[]=a&key[]=b` → `{ key: ['a', 'b'] }`, any
 * number of items; a plain key → its (last) value. Handed to openapi-backend as an object, because
 * its own parser (qs) turns an array of more than 20 items into an object, which Rails does not.
 */
function railsQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      const list = out[name];
      out[name] = Array.isArray(list) ? [...list, value] : [value];
    } else out[key] = value;
  }
  return out;
}

export class MastodonSpec {
  private readonly api: OpenAPIBackend;

  private constructor(api: OpenAPIBackend) {
    this.api = api;
  }

  /** One shared instance: validators compile lazily and are reused by every emulator. */
  static load(): Promise<MastodonSpec> {
    loading ??= MastodonSpec.create();
    return loading;
  }

  private static async create(): Promise<MastodonSpec> {
    const api = new OpenAPIBackend({
      definition: loadSpec(),
      quick: true,
      validate: true,
      coerceTypes: true,
      customizeAjv: (_original, opts) => makeAjv(opts),
    });
    await api.init();
    return new MastodonSpec(api);
  }

  /** The operation a request is for, or undefined when the description has none. */
  match(req: ParsedRequest): MatchedRequest | undefined {
    const request = { method: req.method, path: req.path, query: railsQuery(req.query), headers: req.headers };
    const operation = this.api.router.matchOperation(request);
    if (!operation?.operationId) return undefined;
    const parsed = this.api.router.parseRequest(request, operation);
    return {
      operationId: operation.operationId,
      params: (parsed.params ?? {}) as Record<string, string>,
      query: (parsed.query ?? {}) as Record<string, string | string[]>,
    };
  }

  /** Problems with a request, in words; empty when it matches the description. */
  checkRequest(req: ParsedRequest, operationId: string): string[] {
    const result = this.api.validator.validateRequest(
      { method: req.method, path: req.path, query: railsQuery(req.query), headers: req.headers, body: req.body },
      operationId,
    );
    return result.valid ? [] : [`request: ${describeErrors(result.errors)}`];
  }

  /** Problems with an answer, in words; empty when it matches the description. */
  checkResponse(operationId: string, status: number, body: unknown, headers: Record<string, string>): string[] {
    const problems: string[] = [];
    const operation = this.api.router.getOperation(operationId) as Operation | undefined;
    const documented = Object.keys(operation?.responses ?? {});
    if (!documented.includes(String(status)) && !(EXTRA_STATUSES[operationId] ?? []).includes(status)) {
      problems.push(`response: status ${status} is not documented for ${operationId}`);
      return problems;
    }
    if (body !== undefined) {
      const result = this.api.validator.validateResponse(body, operationId, status);
      if (!result.valid) problems.push(`response ${status} body: ${describeErrors(result.errors)}`);
    }
    const headerResult = this.api.validator.validateResponseHeaders(headers, operationId, { statusCode: status });
    if (!headerResult.valid) problems.push(`response ${status} headers: ${describeErrors(headerResult.errors)}`);
    return problems;
  }
}
