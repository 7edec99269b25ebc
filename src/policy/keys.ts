/**
 * Keys under which the state store counts calls. The evaluator and the store build them the same
 * way from canonical names, so look-alike spellings of one tool share one window.
 */
const SEP = '\u0000'

export function agentKey(agent: string): string {
  return `a${SEP}${agent}`
}

export function toolKey(agent: string, server: string, tool: string): string {
  return `t${SEP}${agent}${SEP}${server}${SEP}${tool}`
}

export function loopPrefix(agent: string, server: string, tool: string): string {
  return `l${SEP}${agent}${SEP}${server}${SEP}${tool}${SEP}`
}

const MAX_KEY_ARGS = 256

/**
 * A stable, injective text for the arguments (object keys sorted at every level) so that `{a, b}`
 * and `{b, a}` are the same call. Strings are length-prefixed rather than escaped: cheaper than
 * JSON and just as unambiguous. Long texts become a 53-bit hash and the length, bounding memory.
 */
export function argsKey(args: unknown): string {
  if (args === undefined || args === null) return '{}'
  const text = stable(args)
  return text.length <= MAX_KEY_ARGS ? text : `#${hash(text)}:${text.length}`
}

function stable(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value.length}:${value}`
    case 'number':
      return `n${value};`
    case 'boolean':
      return value ? 't' : 'f'
    case 'object':
      break
    default:
      return 'u'
  }

  if (value === null) return 'z'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += stable(value[i])
    return out + ']'
  }

  const keys = Object.keys(value)
  if (keys.length > 1 && !sorted(keys)) keys.sort()
  let out = '{'
  for (let i = 0; i < keys.length; i++) out += `${keys[i].length}:${keys[i]}${stable((value as Record<string, unknown>)[keys[i]])}`
  return out + '}'
}

function sorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false
  return true
}
/** cyrb53: fast, well mixed, not cryptographic (a collision only merges two loop windows). */
function hash(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2_654_435_761)
    h2 = Math.imul(h2 ^ ch, 1_597_334_677)
  }

  h1 = Math.imul(h1 ^ (h1 >>> 16), 2_246_822_507) ^ Math.imul(h2 ^ (h2 >>> 13), 3_266_489_909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2_246_822_507) ^ Math.imul(h1 ^ (h1 >>> 13), 3_266_489_909)
  return (4_294_967_296 * (2_097_151 & h2) + (h1 >>> 0)).toString(36)
}
