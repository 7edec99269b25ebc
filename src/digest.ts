import {hash} from 'node:crypto'

/**
 * The project's one canonical JSON and one SHA-256: trace records, the segment index, tool pins and
 * argument digests are all hashed through here, so two parts can never disagree about the bytes of
 * the same value.
 */

/** SHA-256 as lowercase hex. */
export function sha256(data: Buffer | string): string {
  return hash('sha256', data, 'hex')
}

/** `sha256(canonicalJson(value))`: equal values give equal digests, whatever their key order. */
export function digestOf(value: unknown): string {
  return sha256(canonicalJson(value ?? {}))
}

/**
 * JSON with object keys sorted by code unit at every depth (integer-like keys too); undefined,
 * function and symbol members are left out, as JSON.stringify does, and in arrays they are null.
 * Written out directly, with no sorted copy, since it runs for every record; a copy also lost members
 * named __proto__.
 *
 * For any value JSON.parse can return (all a wire message holds) the text is the same as the proxy's
 * earlier canonical JSON, which wrote undefined members as null: no parsed value has one. Stored
 * digests of arguments therefore still match, and tool pins name their members explicitly (see
 * definitionHash in src/proxy/pins.ts).
 */
export function canonicalJson(value: unknown): string {
  return member(value) ?? 'null'
}

function member(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': {
      return JSON.stringify(value)
    }

    case 'number': {
      return Number.isFinite(value) ? JSON.stringify(value) : 'null'
    }

    case 'boolean': {
      return value ? 'true' : 'false'
    }

    case 'bigint': {
      throw new TypeError('a BigInt has no JSON form')
    }

    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) {
        let items = ''
        for (let i = 0; i < value.length; i++) items += `${i > 0 ? ',' : ''}${member(value[i]) ?? 'null'}`
        return `[${items}]`
      }

      let out = ''
      for (const key of Object.keys(value).sort()) {
        const text = member((value as Record<string, unknown>)[key])
        if (text !== undefined) out += `${out ? ',' : ''}${JSON.stringify(key)}:${text}`
      }

      return `{${out}}`
    }

    default: {
      return undefined
    }
  }
}
