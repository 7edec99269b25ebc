/**
 * The canonical form names are compared in. A tool, server or agent name is NFKC-normalised (so
 * full-width letters and ligatures become their plain forms) and lower-cased (so `Delete_Repo` cannot
 * dodge a rule written for `delete_repo`). Names holding invisible or control characters are refused
 * outright rather than stripped: a name that renders like another is an attack, not a typo.
 */

// Format (Cf), control (Cc), line/paragraph separators, variation selectors, tag characters, the
// Hangul fillers and other default-ignorable code points that render as nothing.
// Combining joiners, fillers and variation selectors: listed one by one, since a character class
// would read neighbours of these as combined sequences.
const INVISIBLE = new RegExp(
  ['[\\p{Cc}\\p{Cf}\\u2028\\u2029\\u3164\\uFFA0]', '\\u034F', '\\u115F', '\\u1160', '\\u17B4', '\\u17B5', '[\\u180B-\\u180F]', '[\\uFE00-\\uFE0F]', '[\\u{E0000}-\\u{E0FFF}]', '[\\u{1D173}-\\u{1D17A}]'].join('|'),
  'u',
)
// Ordinary tool names are printable ASCII: they skip normalisation, the common case on the hot path.
const PLAIN = /^[\x21-\x7e]*$/

export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text)
}

/** The canonical form, or undefined when the name holds invisible or control characters. */
export function canonicalName(name: string): string | undefined {
  if (PLAIN.test(name)) return name.toLowerCase()
  if (INVISIBLE.test(name)) return undefined
  const normalised = name.normalize('NFKC')
  // NFKC can itself produce nothing visible from something visible (rare, but never trust it).
  if (INVISIBLE.test(normalised)) return undefined
  return normalised.toLowerCase()
}

/** True when the canonical name holds characters outside printable ASCII (wildcards never match those). */
export function isPlain(canonical: string): boolean {
  return PLAIN.test(canonical)
}
