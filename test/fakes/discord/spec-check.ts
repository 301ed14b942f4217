// Checks request bodies the fake Discord captured against Discord's own OpenAPI
// description (../shared/specs/discord-openapi.json), for the endpoints of delivery
// targets. Integer-typed schemas also take digit strings, as the API does (machine notes).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const SPEC_PATH = fileURLToPath(new URL('../../../../shared/specs/discord-openapi.json', import.meta.url));
const SPEC_ID = 'https://discord.test/openapi.json';
export const specAvailable = () => existsSync(SPEC_PATH);

/** Request path (as the fake records it, without /api/v10) → the spec path template. */
const ROUTES: [RegExp, string][] = [
  [/^\/channels\/\d+\/messages$/, '/channels/{channel_id}/messages'],
  [/^\/channels\/\d+\/threads$/, '/channels/{channel_id}/threads'],
  [/^\/channels\/\d+\/messages\/\d+\/threads$/, '/channels/{channel_id}/messages/{message_id}/threads'],
  [/^\/channels\/\d+\/webhooks$/, '/channels/{channel_id}/webhooks'],
  [/^\/webhooks\/\d+\/[^/]+$/, '/webhooks/{webhook_id}/{webhook_token}'],
];

function widenIntegers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(widenIntegers);
  if (!node || typeof node !== 'object') return node;
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, widenIntegers(v)])) as Record<string, unknown>;
  const t = o.type;
  const isInt = t === 'integer' || (Array.isArray(t) && t.includes('integer'));
  if (!isInt) return o;
  const { type, minimum, maximum, format, ...rest } = o;
  const int = { type, ...(minimum !== undefined ? { minimum } : {}), ...(maximum !== undefined ? { maximum } : {}), ...(format !== undefined ? { format } : {}) };
  return { ...rest, anyOf: [int, { type: 'string', pattern: '^-?[0-9]+$' }] };
}

export function createSpecChecker() {
  const spec = widenIntegers(JSON.parse(readFileSync(SPEC_PATH, 'utf8'))) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> };
  const ajv = new Ajv2020Module.default({ strict: false, allErrors: false, validateFormats: true });
  addFormats.default(ajv);
  ajv.addFormat('snowflake', /^[0-9]{1,20}$/);
  ajv.addFormat('nonce', true);
  ajv.addSchema({ ...spec, $id: SPEC_ID } as object);
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (method: string, path: string, body: unknown): string | undefined => {
    const route = ROUTES.find(([re]) => re.test(path))?.[1];
    if (!route) return undefined;
    const op = spec.paths[route]?.[method.toLowerCase()];
    const schema = op?.requestBody?.content['application/json']?.schema;
    if (!schema) return `${method} ${route} takes no body in the spec`;
    // The body schema's refs point into the spec, which ajv holds under SPEC_ID.
    const key = `${method} ${route}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${SPEC_ID}#/`)) as object);
      compiled.set(key, validate);
    }
    return validate(body) ? undefined : `${method} ${route}: ${ajv.errorsText(validate.errors)}`;
  };
}
