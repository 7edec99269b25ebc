import {shown} from '../shown.js'

export {shown} from '../shown.js'

/** `~` for the user's home in paths a person reads. */
export function tildify(path: string, home: string): string {
  if (home && (path === home || path.startsWith(home + '/') || path.startsWith(home + '\\'))) return '~' + path.slice(home.length)
  return path
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…'
}

/** Every string in a view's props (plain objects and arrays; functions and class instances as they are) made safe with shown(…, {lines: true}). */
export function shownDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return shown(value, {lines: true}) as T
  if (value === null || typeof value !== 'object' || depth > 64) return value
  if (Array.isArray(value)) return value.map((item) => shownDeep(item, depth + 1)) as T
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [shown(k, {lines: true}), shownDeep(v, depth + 1)])) as T
}
