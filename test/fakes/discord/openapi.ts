// Checks every request body the fake Discord receives against Discord's own OpenAPI 3.1
// description (../shared/specs/discord-openapi.json, from discord/discord-api-spec). Generic:
// method + path are matched against the spec's path templates and the body is validated
// against that operation's JSON requestBody schema, so new endpoints are covered as added.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import { CI, notice } from '../../support/needs.js';
import { needsShared, sharedPath } from '../../support/shared-dir.js';

// ajv-formats is CommonJS: its default export arrives wrapped or not, depending on the loader.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as FormatsPlugin;

export const SPEC_PATH = sharedPath('specs/discord-openapi.json', 'HERALD_DISCORD_SPEC');
/** undefined when the description is here; tests that need the checker use it with needs.ts. */
export const specMissing = needsShared(SPEC_PATH, "Discord's OpenAPI description", 'HERALD_DISCORD_SPEC');
const SPEC_ID = 'https://discord.spec/openapi.json';

export interface Violation {
  method: string;
  path: string;
  errors: string[];
}

interface Operation {
  method: string;
  segments: string[];
  literals: number;
  pointer?: string;
}

type Json = Record<string, unknown>;

/**
 * The spec types int-parseable strings (permission bit sets such as
 * default_member_permissions: "16") as integers, and the API takes both; so every
 * integer-typed schema also accepts a digit string. Rewriting the schema is used instead of
 * ajv's coerceTypes, which edits data inside oneOf branches and then fails the next branch.
 */
export function allowDigitStrings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowDigitStrings);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' || k === '$defs' || k === 'schemas' ? mapValues(v) : allowDigitStrings(v);
  const type = out.type;
  const isInt = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
  if (!isInt) return out;
  return { anyOf: [out, { type: 'string', pattern: '^-?[0-9]+$' }] };
}

function mapValues(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return allowDigitStrings(v);
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, allowDigitStrings(s)]));
}

const pointerPart = (s: string) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));

export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly ops: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(spec: Json) {
    addFormats(this.ajv);
    // Discord's own formats: ids are decimal strings; a nonce is any short string or number.
    this.ajv.addFormat('snowflake', /^[0-9]+$/);
    this.ajv.addFormat('nonce', true);
    this.ajv.addSchema({ ...(allowDigitStrings(spec) as Json), $id: SPEC_ID });
    for (const [template, item] of Object.entries((spec.paths ?? {}) as Record<string, Json>)) {
      const segments = template.split('/').filter(Boolean);
      const literals = segments.filter((s) => !s.startsWith('{')).length;
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || typeof op !== 'object' || op === null) continue;
        const content = ((op as Json).requestBody as Json | undefined)?.content as Json | undefined;
        const pointer = content?.['application/json']
          ? `#/paths/${pointerPart(template)}/${method}/requestBody/content/${pointerPart('application/json')}/schema`
          : undefined;
        this.ops.push({ method: method.toUpperCase(), segments, literals, ...(pointer ? { pointer } : {}) });
      }
    }
  }

  /** The operation for a request: the template with most literal segments wins (`@original` over `{message_id}`). */
  private match(method: string, path: string): Operation | undefined {
    const parts = path.split('/').filter(Boolean);
    let best: Operation | undefined;
    for (const op of this.ops) {
      if (op.method !== method || op.segments.length !== parts.length) continue;
      if (!op.segments.every((s, i) => s.startsWith('{') || s === parts[i])) continue;
      if (!best || op.literals > best.literals) best = op;
    }
    return best;
  }

  /** Errors of one request body (empty when valid); `path` without /api/v10. */
  check(method: string, path: string, body: unknown): string[] {
    const op = this.match(method, path);
    if (!op) return [`${method} ${path} is not an operation in Discord's OpenAPI description`];
    if (!op.pointer) return [`${method} ${path} takes no JSON body in Discord's OpenAPI description`];
    const validate = this.compiled.get(op.pointer) ?? this.ajv.compile({ $ref: `${SPEC_ID}${op.pointer}` });
    this.compiled.set(op.pointer, validate);
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}

/** The violations as one error message (the first five in full), or undefined when there are none. */
export function violationReport(list: readonly Violation[] | undefined): string | undefined {
  if (!list?.length) return undefined;
  const lines = list.slice(0, 5).map((v) => `${v.method} ${v.path}: ${v.errors.join('; ')}`);
  return `${list.length} request body/bodies sent to the fake Discord do not validate against discord-openapi.json:\n${lines.join('\n')}`;
}

let shared: OpenApiChecker | null | undefined;

/**
 * The checker, built once per test process; null when ../shared is absent (with a visible
 * notice; with CI=true that is an error, so CI cannot skip the check unseen).
 */
export function openApiChecker(): OpenApiChecker | null {
  if (shared !== undefined) return shared;
  if (specMissing) {
    if (CI) throw new Error(`needs ${specMissing.what}, but ${specMissing.why} (required when CI=true). ${specMissing.hint ?? ''}`);
    notice('validation of fake Discord request bodies', specMissing);
    return (shared = null);
  }
  return (shared = new OpenApiChecker(JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Json));
}
