/** One string of a definition or result, with where it sits (`inputSchema.properties.path.description`). */
export interface Field {
  path: string
  text: string
  /** What kind of string: names are judged as names too; keys of properties are parameter names. */
  role: 'name' | 'title' | 'description' | 'param-name' | 'schema' | 'annotation' | 'content'
}

const MAX_DEPTH = 24
/**
 * What comes back is walked as deep as a message can be (the proxy's decoder refuses past 256
 * levels): a string the walk never reached would pass unexamined.
 */
const RESULT_DEPTH = 260

/** Every string of a tool definition: name, title, description, schemas (with `$ref`s followed), annotations. */
export function toolFields(tool: Record<string, unknown>): Field[] {
  const fields: Field[] = []
  if (typeof tool.name === 'string') fields.push({path: 'name', text: tool.name, role: 'name'})
  if (typeof tool.title === 'string') fields.push({path: 'title', text: tool.title, role: 'title'})
  if (typeof tool.description === 'string') fields.push({path: 'description', text: tool.description, role: 'description'})
  for (const key of ['inputSchema', 'outputSchema'] as const) schemaFields(tool[key], key, fields)
  if (tool.annotations && typeof tool.annotations === 'object') stringsOf(tool.annotations, 'annotations', 'annotation', fields)
  return fields
}

/** A prompt: name, title, description and each argument's name and description. */
export function promptFields(prompt: Record<string, unknown>): Field[] {
  const fields: Field[] = []
  if (typeof prompt.name === 'string') fields.push({path: 'name', text: prompt.name, role: 'name'})
  if (typeof prompt.title === 'string') fields.push({path: 'title', text: prompt.title, role: 'title'})
  if (typeof prompt.description === 'string') fields.push({path: 'description', text: prompt.description, role: 'description'})
  if (Array.isArray(prompt.arguments)) {
    for (const [i, arg] of prompt.arguments.entries()) {
      if (!arg || typeof arg !== 'object') continue
      const {name, description} = arg as Record<string, unknown>
      if (typeof name === 'string') fields.push({path: `arguments[${i}].name`, text: name, role: 'param-name'})
      if (typeof description === 'string') fields.push({path: `arguments[${i}].description`, text: description, role: 'schema'})
    }
  }

  return fields
}

/** A resource or resource template: name, title, description, URI. */
export function resourceFields(resource: Record<string, unknown>): Field[] {
  const fields: Field[] = []
  for (const key of ['name', 'title', 'description', 'uri', 'uriTemplate'] as const) {
    const value = resource[key]
    if (typeof value === 'string') fields.push({path: key, text: value, role: key === 'description' ? 'description' : 'title'})
  }

  return fields
}

/** Every string a result or error puts before the model: text, structured content, embedded resources, links. Binary payloads are skipped. */
export function resultFields(result: Record<string, unknown>): Field[] {
  const fields: Field[] = []
  stringsOf(result, '', 'content', fields, 0, true, 'other', RESULT_DEPTH)
  return fields
}

// Standard base64 (RFC 4648 §4), as MCP carries bytes; line breaks allowed.
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/

/**
 * The one rule for what in a result is bytes rather than text: the `data` of an image or audio
 * content item, and the `blob` of resource contents (an embedded resource's `resource`, or an entry
 * of resources/read's top-level `contents`), and only when the value is base64. Anything else named
 * `data` or `blob` is text like any other: a server cannot hide a secret or an instruction by key name.
 * `holder`: which kind of object `node` is, from where it sits.
 */
export function isPayload(node: Readonly<Record<string, unknown>>, key: string, holder: PayloadHolder, value: unknown): boolean {
  if (typeof value !== 'string') return false
  const binary = (key === 'data' && (node.type === 'image' || node.type === 'audio')) || (key === 'blob' && holder === 'resource-contents' && typeof node.uri === 'string')
  return binary && BASE64.test(value)
}

/** Where an object sits, as far as payloads go: resource contents may carry a blob; anything else may not. */
export type PayloadHolder = 'other' | 'resource-contents'

/** The holder kind of `child`, found under `key` of `parent` (`index`: in an array there), at the top (`top`). */
export function holderOf(parent: Readonly<Record<string, unknown>>, key: string, top: boolean): PayloadHolder {
  return (key === 'resource' && parent.type === 'resource') || (key === 'contents' && top) ? 'resource-contents' : 'other'
}

function stringsOf(value: unknown, path: string, role: Field['role'], out: Field[], depth = 0, top = false, holder: PayloadHolder = 'other', maxDepth = MAX_DEPTH): void {
  if (depth > maxDepth) return
  if (typeof value === 'string') out.push({path, text: value, role})
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) stringsOf(item, `${path}[${i}]`, role, out, depth + 1, false, holder, maxDepth)
  else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>
    for (const [key, item] of Object.entries(node)) {
      // Images, audio and blobs are base64 bytes, not text for the model.
      if (isPayload(node, key, holder, item)) continue
      stringsOf(item, path ? `${path}.${key}` : key, role, out, depth + 1, false, holderOf(node, key, top), maxDepth)
    }
  }
}

/**
 * Every string of a JSON Schema a model reads: property names, descriptions, titles, defaults,
 * enums, examples, `const`, nested schemas, and the schemas `$ref`s point to (each once).
 */
function schemaFields(schema: unknown, root: string, out: Field[]): void {
  if (!schema || typeof schema !== 'object') return
  const seen = new Set<unknown>()
  const walk = (node: unknown, path: string, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > MAX_DEPTH || seen.has(node)) return
    seen.add(node)
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${path}[${i}]`, depth + 1)
      return
    }

    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const at = `${path}.${key}`
      if (key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions' || key === 'dependentSchemas') {
        if (!value || typeof value !== 'object') continue
        for (const [name, sub] of Object.entries(value as Record<string, unknown>)) {
          if (key === 'properties' || key === 'patternProperties') out.push({path: `${at}.${name}`, text: name, role: 'param-name'})
          walk(sub, `${at}.${name}`, depth + 1)
        }
      } else if (key === '$ref' && typeof value === 'string') {
        walk(resolveRef(schema, value), `${at}(${value})`, depth + 1)
      } else if (typeof value === 'string') {
        if (key !== 'type' && key !== 'format' && key !== '$schema' && key !== '$id' && key !== 'pattern') out.push({path: at, text: value, role: 'schema'})
      } else if (value && typeof value === 'object') {
        // default, examples, enum, const, items, allOf/anyOf/oneOf, not, if/then/else: their strings too.
        if (key === 'default' || key === 'examples' || key === 'enum' || key === 'const') stringsOf(value, at, 'schema', out)
        else walk(value, at, depth + 1)
      }
    }
  }

  walk(schema, root, 0)
}

/** A local JSON pointer (`#/$defs/x`); remote references are not fetched. */
function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined
  let node: unknown = root
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const part = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    if (!node || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined
    node = (node as Record<string, unknown>)[part]
  }

  return node
}
