/**
 * Reading the service's OpenAPI document the way a client would: resolving references,
 * building the example body Swagger UI shows, and turning schemas into TypeScript types.
 */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface Operation {
  summary?: string;
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: {
    content: Record<string, { schema: Schema; examples?: Record<string, { value: unknown }> }>;
  };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function operationsOf(
  document: OpenApiDocument,
): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** The target of a local reference (`#/components/schemas/X`), or undefined when dangling. */
export function resolve(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Every `$ref` anywhere in the document, with where it is. */
export function refsIn(node: unknown, at = '#'): { at: string; ref: string }[] {
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string'
      ? [{ at, ref: value }]
      : refsIn(value, `${at}/${key}`),
  );
}

/** The example body Swagger UI offers ("Example Value"), built as its sampler builds it. */
export function sampleOf(document: OpenApiDocument, schema: Schema): unknown {
  if (schema.$ref) return sampleOf(document, resolve(document, schema.$ref) as Schema);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((part) => sampleOf(document, part)));
  }
  const choice = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (choice) return sampleOf(document, choice);
  if (schema.type === 'array') return [sampleOf(document, schema.items ?? {})];
  if (schema.type === 'object' || schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([name, property]) => [
        name,
        sampleOf(document, property),
      ]),
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 0;
  if (schema.type === 'boolean') return true;
  if (schema.format === 'date-time') return new Date().toISOString();
  if (schema.format === 'date') return new Date().toISOString().slice(0, 10);
  if (schema.format === 'uuid') return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
  return 'string';
}

/**
 * A TypeScript type for a schema, as a client generator would write it. A schema that says
 * nothing a type could be made of (no type, no reference, no enum) is reported in `untyped`.
 */
export function typeOf(schema: Schema, at: string, untyped: string[]): string {
  const name = schema.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];
  let type: string;
  if (schema.$ref) {
    type = name ? `Schemas[${JSON.stringify(name)}]` : 'never';
  } else if (schema.enum) {
    type = schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  } else if (schema.allOf) {
    type = schema.allOf.map((part, i) => typeOf(part, `${at}/allOf/${i}`, untyped)).join(' & ');
  } else if (schema.oneOf ?? schema.anyOf) {
    const parts = (schema.oneOf ?? schema.anyOf) as Schema[];
    type = parts.map((part, i) => `(${typeOf(part, `${at}/oneOf/${i}`, untyped)})`).join(' | ');
  } else if (schema.type === 'array') {
    type = `Array<${typeOf(schema.items ?? {}, `${at}/items`, untyped)}>`;
  } else if (schema.type === 'object' || schema.properties) {
    if (schema.properties) {
      const required = new Set(schema.required ?? []);
      const fields = Object.entries(schema.properties).map(
        ([field, property]) =>
          `${JSON.stringify(field)}${required.has(field) ? '' : '?'}: ${typeOf(property, `${at}/${field}`, untyped)};`,
      );
      type = `{ ${fields.join(' ')} }`;
    } else if (typeof schema.additionalProperties === 'object') {
      type = `Record<string, ${typeOf(schema.additionalProperties, `${at}/*`, untyped)}>`;
    } else if (schema.additionalProperties === true) {
      // A map said to be free-form (the audit's details) is typed as one, deliberately.
      type = 'Record<string, unknown>';
    } else {
      untyped.push(at);
      type = 'unknown';
    }
  } else if (schema.type === 'string') {
    type = 'string';
  } else if (schema.type === 'integer' || schema.type === 'number') {
    type = 'number';
  } else if (schema.type === 'boolean') {
    type = 'boolean';
  } else {
    untyped.push(at);
    type = 'unknown';
  }
  return schema.nullable ? `(${type}) | null` : type;
}
