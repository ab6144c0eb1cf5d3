/**
 * Validates JSON against the definitions of Azure's Swagger 2.0 specs with Ajv.
 *
 * Swagger 2.0 is not JSON Schema, so each definition is converted:
 * - `allOf` is inheritance: the parents' properties and `required` are merged into the child, so
 *   that a closed object knows every property it may have.
 * - Objects that declare `properties` are closed (`additionalProperties: false`) unless the spec
 *   gives `additionalProperties` itself: the spec describes every property Azure answers with, so
 *   a property it does not name is the sandbox's invention. Property names matching
 *   `allowedExtra` (OData annotations such as `odata.metadata`, which Batch sends but the spec does
 *   not model) are let through.
 * - Secrets (`x-ms-secret`) and write-only properties (`x-ms-mutability` without `read`) are
 *   never required: Azure leaves them out of its answers.
 * - `x-nullable: true` admits null; `discriminator` selects the subtype named by the
 *   discriminator's value (`x-ms-discriminator-value`, or the subtype's name), else the base;
 *   `readOnly` stays an annotation (responses carry read-only properties); every `x-ms-*`
 *   extension, `example`, `title` and `description` is dropped.
 * - `$ref`s to files that were not copied are permissive (`{}`), except the shared common-types
 *   (./common-types.ts); a parent that cannot be resolved leaves its child open.
 */
import { posix } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { COMMON_TYPES, isCommonTypes, type SwaggerSchema } from './common-types.js';

type JsonSchema = Record<string, unknown> | boolean;
interface SwaggerDoc {
  definitions?: Record<string, SwaggerSchema>;
}
interface Flat {
  properties: Record<string, JsonSchema>;
  required: Set<string>;
  /** Secrets and write-only properties: Azure does not answer with them, so they are never required. */
  writeOnly: Set<string>;
  open: boolean;
  additional?: JsonSchema;
}

export const COMMON_FILE = 'common-types/resource-management/types.json';
const COPIED = ['type', 'format', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'readOnly'];
const idOf = (file: string) => `azure-spec:///${file}`;
const asSchema = (v: unknown): SwaggerSchema | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as SwaggerSchema) : undefined);
// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export interface SpecValidatorOptions {
  /** Reads a spec by its path under `specification/` (posix); undefined when it was not copied. */
  read(file: string): SwaggerDoc | undefined;
  /** Property names a closed object still admits (default: OData annotations). */
  allowedExtra?: string;
  /** Property names to treat as secrets even where a spec does not mark them `x-ms-secret`. */
  secrets?: string[];
}

export class SpecValidator {
  readonly ajv = new Ajv({ strict: false, allErrors: true });
  /** `$ref`s that pointed outside the copied files and were made permissive. */
  readonly unresolved = new Set<string>();
  private readonly loaded = new Set<string>();
  private readonly docs = new Map<string, SwaggerDoc | undefined>();

  constructor(private readonly options: SpecValidatorOptions) {
    addFormats(this.ajv);
    this.ajv.addFormat('arm-id', /^\/subscriptions\/|^\/providers\//i);
    this.ajv.addFormat('date-time-rfc1123', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    this.ajv.addFormat('base64url', /^[A-Za-z0-9_-]*$/);
    this.ajv.addFormat('file', true);
  }

  /** Error lines (empty when valid) for `data` against `definition` of `file`. */
  validate(file: string, definition: string, data: unknown): string[] {
    this.ensure(file);
    const validate = this.ajv.getSchema(`${idOf(file)}#/definitions/${definition}`);
    if (!validate) throw new Error(`${file} has no definition '${definition}'`);
    if (validate(data)) return [];
    return [...new Set((validate.errors ?? []).map(describe))];
  }

  private doc(file: string): SwaggerDoc | undefined {
    if (file === COMMON_FILE) return { definitions: COMMON_TYPES };
    if (!this.docs.has(file)) this.docs.set(file, this.options.read(file));
    return this.docs.get(file);
  }

  private ensure(file: string): void {
    if (this.loaded.has(file)) return;
    const doc = this.doc(file);
    if (!doc) throw new Error(`spec ${file} is not available`);
    this.loaded.add(file);
    const definitions: Record<string, JsonSchema> = {};
    for (const [name, def] of Object.entries(doc.definitions ?? {})) definitions[name] = this.definition(file, name, def);
    this.ajv.addSchema({ $id: idOf(file), definitions });
  }

  /** Where a `$ref` points: a definition of a copied file, or undefined. */
  private resolve(ref: string, file: string): { file: string; name: string; def: SwaggerSchema } | undefined {
    const [path = '', fragment = ''] = ref.split('#');
    const target = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
    const resolvedFile = isCommonTypes(target) ? COMMON_FILE : target;
    const name = /^\/definitions\/(.+)$/.exec(fragment)?.[1];
    const def = name === undefined ? undefined : this.doc(resolvedFile)?.definitions?.[name];
    if (!this.doc(resolvedFile)) return undefined;
    if (!name || !def) throw new Error(`${file}: $ref '${ref}' names no definition of ${resolvedFile}`);
    return { file: resolvedFile, name, def };
  }

  private ref(ref: string, file: string): JsonSchema {
    const target = this.resolve(ref, file);
    if (!target) {
      this.unresolved.add(ref);
      return {};
    }
    this.ensure(target.file);
    return { $ref: `${idOf(target.file)}#/definitions/${target.name}` };
  }

  private definition(file: string, name: string, def: SwaggerSchema): JsonSchema {
    const property = typeof def.discriminator === 'string' ? def.discriminator : undefined;
    if (!property) return this.schema(def, file);
    const subtypes = Object.entries(this.doc(file)?.definitions ?? {}).flatMap(([sub, s]) => {
      const parents = Array.isArray(s.allOf) ? (s.allOf as SwaggerSchema[]) : [];
      if (!parents.some((p) => p.$ref === `#/definitions/${name}`)) return [];
      return [{ sub, value: typeof s['x-ms-discriminator-value'] === 'string' ? s['x-ms-discriminator-value'] : sub }];
    });
    const when = (value: unknown) => ({ properties: { [property]: value }, required: [property] });
    return {
      allOf: [
        ...subtypes.map(({ sub, value }) => ({ if: when({ const: value }), then: { $ref: `${idOf(file)}#/definitions/${sub}` } })),
        { if: when({ enum: subtypes.map((s) => s.value) }), then: true, else: this.schema({ ...def, discriminator: undefined }, file) },
      ],
    };
  }

  /** Converts one Swagger schema node. */
  private schema(node: SwaggerSchema, file: string): JsonSchema {
    let out: JsonSchema;
    if (typeof node.$ref === 'string') out = this.ref(node.$ref, file);
    else if (asSchema(node.properties) || Array.isArray(node.allOf)) out = this.object(node, file);
    else {
      const o: Record<string, unknown> = {};
      for (const k of COPIED) if (node[k] !== undefined && !(k === 'type' && node[k] === 'file')) o[k] = node[k];
      if (typeof node.pattern === 'string' && compiles(node.pattern)) o.pattern = node.pattern;
      if (node.exclusiveMinimum === true) o.exclusiveMinimum = o.minimum;
      if (node.exclusiveMaximum === true) o.exclusiveMaximum = o.maximum;
      if (node.exclusiveMinimum === true) delete o.minimum;
      if (node.exclusiveMaximum === true) delete o.maximum;
      const items = asSchema(node.items);
      if (items) o.items = this.schema(items, file);
      if (typeof node.additionalProperties === 'boolean') o.additionalProperties = node.additionalProperties;
      else if (asSchema(node.additionalProperties)) o.additionalProperties = this.schema(asSchema(node.additionalProperties) ?? {}, file);
      out = o;
    }
    return node['x-nullable'] === true ? { anyOf: [{ type: 'null' }, out] } : out;
  }

  private object(node: SwaggerSchema, file: string): JsonSchema {
    const flat = this.flatten(node, file, []);
    // Closed unless the spec says otherwise or a parent could not be resolved.
    const additional = flat.additional ?? flat.open;
    return {
      type: 'object',
      properties: flat.properties,
      ...(flat.required.size ? { required: [...flat.required].filter((r) => !flat.writeOnly.has(r)) } : {}),
      additionalProperties: additional,
      ...(additional === false ? { patternProperties: { [this.options.allowedExtra ?? '^odata\\.']: true } } : {}),
    };
  }

  /** Merges a node's `allOf` parents (recursively) with its own properties. */
  private flatten(node: SwaggerSchema, file: string, stack: string[]): Flat {
    const flat: Flat = { properties: {}, required: new Set(), writeOnly: new Set(), open: false };
    for (const part of Array.isArray(node.allOf) ? (node.allOf as SwaggerSchema[]) : []) {
      let parent: Flat;
      if (typeof part.$ref === 'string') {
        const target = this.resolve(part.$ref, file);
        const key = `${target?.file ?? ''}#${target?.name ?? ''}`;
        if (!target || stack.includes(key)) {
          if (!target) this.unresolved.add(part.$ref);
          flat.open = true;
          continue;
        }
        parent = this.flatten(target.def, target.file, [...stack, key]);
      } else parent = this.flatten(part, file, stack);
      Object.assign(flat.properties, parent.properties);
      for (const r of parent.required) flat.required.add(r);
      for (const w of parent.writeOnly) flat.writeOnly.add(w);
      flat.open ||= parent.open;
      if (parent.additional !== undefined) flat.additional = parent.additional;
    }
    for (const [name, prop] of Object.entries(asSchema(node.properties) ?? {})) {
      const schema = asSchema(prop);
      if (!schema) continue;
      flat.properties[name] = this.schema(schema, file);
      const mutability = schema['x-ms-mutability'];
      const secret = schema['x-ms-secret'] === true || (this.options.secrets ?? []).includes(name);
      if (secret || (Array.isArray(mutability) && !mutability.includes('read'))) flat.writeOnly.add(name);
    }
    if (Array.isArray(node.required)) for (const r of node.required as string[]) flat.required.add(r);
    if (typeof node.additionalProperties === 'boolean') flat.additional = node.additionalProperties;
    else if (asSchema(node.additionalProperties)) flat.additional = this.schema(asSchema(node.additionalProperties) ?? {}, file);
    return flat;
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${at}: unknown property '${String(params.additionalProperty)}'`;
  if (e.keyword === 'enum') return `${at}: ${e.message ?? ''} ${JSON.stringify(params.allowedValues)}`;
  return `${at}: ${e.message ?? e.keyword}`;
}
