import {codeRange} from './fold.js'

// Built from a string: the class holds variation selectors, which a literal would combine with their neighbours.
const INVISIBLE = new RegExp(
  String.raw`[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\u{e0000}-\u{e007f}` + `${codeRange(0xe_01_00, 0xe_01_ef)}]`,
  'gu',
)

/** The text with every invisible or control character spelt `<U+200B>`, so a person sees it. */
export function makeVisible(text: string): string {
  return text.replaceAll(INVISIBLE, (char) => `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`)
}

// Printable ASCII with single spaces: already what an excerpt shows.
const PLAIN = /^(?:[\x21-\x7e]| (?! ))*$/

/** A span for a message: visible, white space runs shown by length, at most about 120 characters. */
export function excerptOf(text: string): string {
  if (PLAIN.test(text)) return text.length > 120 ? `${text.slice(0, 117)}...` : text
  const flat = makeVisible(text).replaceAll(/\s{4,}/g, (run) => `<${run.length} blank chars>`).replaceAll(/\s+/g, ' ')
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat
}
