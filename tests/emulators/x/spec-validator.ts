// Validates every request the X emulator receives and every response it sends against the
// official X API v2 OpenAPI description (tests/fixtures/specs/x-api-v2.openapi.json), with Ajv.
//
// The spec renamed "tweet" to "post" in names the live API (and twitter-api-v2) still use. Those
// names go through the explicit RENAMES tables below: each use is counted as drift (per name) and
// validated under the spec's name. Anything else that does not match the spec is a violation.
// Object schemas are made strict (no properties beyond the spec's) so that an unknown or
// misspelled field is a violation too, not a silent pass.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export interface Violation {
  method: string;
  path: string;
  direction: 'request' | 'response';
  message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SPEC_PATH = fileURLToPath(new URL('../../fixtures/specs/x-api-v2.openapi.json', import.meta.url));

/** Query parameter names the live API uses, by the spec's name for them. */
const PARAM_RENAMES: Record<string, string> = { 'tweet.fields': 'post.fields' };

/**
 * Values of list parameters the live API accepts under its old names. `null`: a value the spec
 * lists only on the streaming endpoints (dropped before validation, still counted).
 */
const VALUE_RENAMES: Record<string, Record<string, string | null>> = {
  'post.fields': {
    author_id: null,
    in_reply_to_user_id: null,
    referenced_tweets: null,
    edit_history_tweet_ids: null,
    // The whole text of a long post: `note_tweet` live (docs.x.com "Post object"), `note_post` in the spec.
    note_tweet: 'note_post',
  },
  expansions: {
    'referenced_tweets.id': 'referenced_posts',
    // Documented (docs.x.com "Expansions"), absent from the spec's enum.
    'referenced_tweets.id.author_id': null,
    edit_history_tweet_ids: 'edit_history_post_ids',
  },
  'user.fields': { pinned_tweet_id: null, most_recent_tweet_id: null },
};

/** Response keys the live API sends, by the spec's name (anywhere in a body). */
const KEY_RENAMES: Record<string, string> = {
  retweet_count: 'repost_count',
  tweet_count: 'post_count',
  referenced_tweets: 'referenced_posts',
  edit_history_tweet_ids: 'edit_history_post_ids',
  pinned_tweet_id: 'pinned_post_id',
  most_recent_tweet_id: 'most_recent_post_id',
  note_tweet: 'note_post',
};

/** Error bodies the live API sends that the spec's Problem union does not describe. */
const LIVE_PROBLEMS: Record<string, object> = {
  // 401 and 429: {title, detail, type: 'about:blank', status}
  'about:blank': {
    type: 'object',
    required: ['title', 'detail', 'type', 'status'],
    properties: {
      title: { type: 'string' },
      detail: { type: 'string' },
      type: { const: 'about:blank' },
      status: { type: 'integer' },
    },
    additionalProperties: false,
  },
  // 403 for an endpoint the app's plan does not include.
  'https://api.x.com/2/problems/client-forbidden': {
    type: 'object',
    required: ['title', 'detail', 'type', 'reason', 'client_id', 'required_enrollment', 'registration_url'],
    properties: {
      title: { type: 'string' },
      detail: { type: 'string' },
      type: { const: 'https://api.x.com/2/problems/client-forbidden' },
      reason: { enum: ['client-not-enrolled', 'official-client-forbidden'] },
      client_id: { type: 'string' },
      required_enrollment: { type: 'string' },
      registration_url: { type: 'string' },
    },
    additionalProperties: false,
  },
};

/**
 * The live API's 400 invalid-request names each refused parameter in `errors[]` (`parameters`:
 * the parameter and the values refused, `message`: why), which the spec's InvalidRequestProblem
 * does not describe: redouane59/twittered#118 (tweet.fields), rooteco/tweetscape#421 (a
 * since_id older than recent search reaches). Checked this way only when `errors` is there.
 */
const LIVE_INVALID_REQUEST = {
  type: 'object',
  required: ['title', 'detail', 'type', 'errors'],
  properties: {
    title: { type: 'string' },
    detail: { type: 'string' },
    type: { const: 'https://api.x.com/2/problems/invalid-request' },
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['parameters', 'message'],
        properties: {
          parameters: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          message: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: { type?: string; items?: unknown } & Record<string, unknown>;
  explode?: boolean;
  /** Where the parameter's schema is in the spec (a JSON pointer). */
  pointer: string;
}

interface Operation {
  method: string;
  template: string;
  pointer: string;
  regex: RegExp;
  params: Parameter[];
  hasBody: boolean;
  bodyRequired: boolean;
  bodyTypes: string[];
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Makes object schemas strict and drops keywords Ajv does not take as OpenAPI means them. */
function tighten(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) tighten(item);
    return;
  }
  if (!isObject(node)) return;
  delete node['discriminator'];
  delete node['example'];
  if (isObject(node['properties']) && node['additionalProperties'] === undefined) {
    node['additionalProperties'] = false;
  }
  for (const value of Object.values(node)) tighten(value);
}

export class SpecValidator {
  readonly violations: Violation[] = [];
  readonly drift = new Map<string, number>();
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly spec: JsonObject;

  constructor() {
    this.spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as JsonObject;
    tighten(this.spec['components']);
    tighten(this.spec['paths']);
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(this.spec as object, 'x');
    const paths = this.spec['paths'] as Record<string, Record<string, JsonObject>>;
    for (const [template, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const params = ((op['parameters'] as Json[] | undefined) ?? []).map((p, i) => {
          const ref = isObject(p) && typeof p['$ref'] === 'string' ? p['$ref'] : null;
          const pointer = `${ref ?? `#/paths/${escapePointer(template)}/${method}/parameters/${i}`}/schema`;
          return { ...(this.deref(p) as unknown as Parameter), pointer };
        });
        const body = op['requestBody'] as JsonObject | undefined;
        const regex = new RegExp(
          '^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)') + '$',
        );
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pointer: `#/paths/${escapePointer(template)}/${method}`,
          regex,
          params,
          hasBody: body !== undefined,
          bodyRequired: body?.['required'] === true,
          bodyTypes: body ? Object.keys(body['content'] as JsonObject) : [],
        });
      }
    }
    // Literal paths before templated ones (/2/users/me before /2/users/{id}).
    this.operations.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  private deref(node: Json): Json {
    if (isObject(node) && typeof node['$ref'] === 'string') {
      const parts = node['$ref'].replace(/^#\//, '').split('/');
      let cur: Json = this.spec;
      for (const part of parts) cur = (cur as JsonObject)[part.replace(/~1/g, '/').replace(/~0/g, '~')] ?? null;
      return this.deref(cur);
    }
    return node;
  }

  private validator(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `x${pointer}` });
      this.compiled.set(pointer, fn);
    }
    return fn;
  }

  private countDrift(name: string): void {
    this.drift.set(name, (this.drift.get(name) ?? 0) + 1);
  }

  private violate(method: string, path: string, direction: Violation['direction'], message: string): void {
    this.violations.push({ method, path, direction, message });
  }

  /** Counts a known difference between the live API and the spec that is not a rename. */
  noteDrift(name: string): void {
    this.countDrift(name);
  }

  operationFor(method: string, path: string): Operation | undefined {
    return this.operations.find((op) => op.method === method && op.regex.test(path));
  }

  checkRequest(
    method: string,
    path: string,
    query: URLSearchParams,
    contentType: string | undefined,
    body: unknown,
  ): boolean {
    const before = this.violations.length;
    const op = this.operationFor(method, path);
    if (!op) {
      this.violate(method, path, 'request', 'no operation in the spec for this method and path');
      return false;
    }
    // Path parameters.
    const match = op.regex.exec(path);
    const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    names.forEach((name, i) => {
      const param = op.params.find((p) => p.in === 'path' && p.name === name);
      const value = decodeURIComponent(match?.[i + 1] ?? '');
      if (param?.schema) this.checkValue(method, path, `path parameter ${name}`, param.pointer, value);
    });
    // Query parameters, through the rename tables.
    const seen = new Set<string>();
    for (const [rawName, rawValue] of query) {
      let name = rawName;
      const renamed = PARAM_RENAMES[rawName];
      if (renamed) {
        this.countDrift(rawName);
        name = renamed;
      }
      seen.add(name);
      const param = op.params.find((p) => p.in === 'query' && p.name === name);
      if (!param) {
        this.violate(method, path, 'request', `unknown query parameter ${rawName}`);
        continue;
      }
      const schema = param.schema ?? {};
      let value: unknown = rawValue;
      if (schema.type === 'array') {
        const table = VALUE_RENAMES[name] ?? {};
        const items: string[] = [];
        for (const v of rawValue.split(',')) {
          if (v in table) {
            this.countDrift(`${rawName}=${v}`);
            const to = table[v];
            if (to) items.push(to);
          } else items.push(v);
        }
        value = items;
        if (items.length === 0) continue;
      } else if (schema.type === 'integer' || schema.type === 'number') {
        value = rawValue.trim() === '' ? rawValue : Number(rawValue);
      } else if (schema.type === 'boolean') {
        value = rawValue === 'true' ? true : rawValue === 'false' ? false : rawValue;
      }
      this.checkValue(method, path, `query parameter ${rawName}`, param.pointer, value);
    }
    for (const p of op.params) {
      if (p.in === 'query' && p.required && !seen.has(p.name)) {
        this.violate(method, path, 'request', `missing required query parameter ${p.name}`);
      }
    }
    // Body.
    if (body !== undefined) {
      const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
      if (!op.hasBody) {
        if (/\/2\/media\/upload\/[^/]+\/finalize$/.test(path) && isObject(body) && Object.keys(body).length === 0) {
          this.countDrift('media finalize body {}');
        } else this.violate(method, path, 'request', 'the spec says this operation takes no body');
      } else if (!op.bodyTypes.includes(type)) {
        this.violate(method, path, 'request', `body type ${type || '(none)'} is not one of ${op.bodyTypes.join(', ')}`);
      } else {
        const fn = this.validator(`${op.pointer}/requestBody/content/${escapePointer(type)}/schema`);
        if (!fn(body)) this.violate(method, path, 'request', `body: ${this.ajv.errorsText(fn.errors)}`);
      }
    } else if (op.bodyRequired) {
      this.violate(method, path, 'request', 'missing required body');
    }
    return this.violations.length === before;
  }

  private checkValue(method: string, path: string, what: string, pointer: string, value: unknown): void {
    const fn = this.validator(pointer);
    if (!fn(value)) this.violate(method, path, 'request', `${what}: ${this.ajv.errorsText(fn.errors)}`);
  }

  /** Renames the live API's keys to the spec's, counting each as drift. */
  private renameKeys(node: Json, parent: string | null): Json {
    if (Array.isArray(node)) return node.map((n) => this.renameKeys(n, parent));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node as JsonObject)) {
      let name = key;
      if (parent === 'includes' && key === 'tweets') name = 'posts';
      else if (KEY_RENAMES[key]) name = KEY_RENAMES[key];
      if (name !== key) this.countDrift(parent === 'includes' && key === 'tweets' ? 'includes.tweets' : key);
      out[name] = this.renameKeys(value, key);
    }
    return out;
  }

  checkResponse(method: string, path: string, status: number, contentType: string, body: Json): boolean {
    const before = this.violations.length;
    const op = this.operationFor(method, path);
    if (!op) {
      this.violate(method, path, 'response', 'no operation in the spec for this method and path');
      return false;
    }
    const type = contentType.split(';')[0]?.trim() ?? '';
    const responses = (this.deref(this.spec['paths'] as Json) as JsonObject)[op.template] as JsonObject;
    const opResponses = ((responses[op.method.toLowerCase()] as JsonObject)['responses'] ?? {}) as JsonObject;
    const key = String(status) in opResponses ? String(status) : 'default';
    const response = opResponses[key] as JsonObject | undefined;
    if (!response) {
      this.violate(method, path, 'response', `status ${status} is not described`);
      return false;
    }
    const problemType = isObject(body) ? body['type'] : undefined;
    const live =
      typeof problemType !== 'string'
        ? undefined
        : problemType === 'https://api.x.com/2/problems/invalid-request' && isObject(body) && 'errors' in body
          ? LIVE_INVALID_REQUEST
          : LIVE_PROBLEMS[problemType];
    if (type === 'application/problem+json' && live) {
      this.countDrift(`problem ${String(problemType)}`);
      const fn = this.ajv.compile(live);
      if (!fn(body)) this.violate(method, path, 'response', `body: ${this.ajv.errorsText(fn.errors)}`);
      return this.violations.length === before;
    }
    const content = response['content'] as JsonObject | undefined;
    if (!content || !(type in content)) {
      this.violate(method, path, 'response', `content type ${type} is not described for status ${key}`);
      return false;
    }
    const fn = this.validator(`${op.pointer}/responses/${key}/content/${escapePointer(type)}/schema`);
    const renamed = this.renameKeys(body, null);
    if (!fn(renamed)) this.violate(method, path, 'response', `body: ${this.ajv.errorsText(fn.errors)}`);
    return this.violations.length === before;
  }
}
