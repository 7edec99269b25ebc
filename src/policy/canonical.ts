/**
 * The canonical form names are compared in: one function for the policy, pins, the changed and
 * poisoned sets, approvals and records. A tool, server or agent name is NFKC-normalised (so
 * full-width letters and ligatures become their plain forms) and lower-cased (so `Delete_Repo`
 * cannot dodge a rule written for `delete_repo`). Names holding invisible or control characters, or
 * blank at either end, are refused outright rather than stripped: a name that renders like another
 * is an attack, not a typo.
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
const BLANK_END = /^\s|\s$/u

export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text)
}

/**
 * The canonical form, or undefined when the name holds invisible or control characters (NUL
 * included) or starts or ends blank (`echo ` is not `echo`, and is not a name either).
 */
export function canonicalName(name: string): string | undefined {
  if (PLAIN.test(name)) return name.toLowerCase()
  if (INVISIBLE.test(name)) return undefined
  const normalised = name.normalize('NFKC')
  // NFKC can itself produce nothing visible from something visible (rare, but never trust it).
  if (INVISIBLE.test(normalised) || BLANK_END.test(normalised)) return undefined
  return normalised.toLowerCase()
}

/** True when the canonical name holds characters outside printable ASCII (wildcards never match those). */
export function isPlain(canonical: string): boolean {
  return PLAIN.test(canonical)
}

// Letters of other scripts drawn like Latin ones (Unicode's confusables, the common part).
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ь: 'b',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  ı: 'i', ɡ: 'g', ɑ: 'a', ʟ: 'l', ꞵ: 'b', ſ: 's',
}
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu')
const MARKS = /\p{M}/gu

/**
 * What a name looks like: the canonical form with accents dropped and look-alike letters of other
 * scripts read as Latin. Not for deciding (`еcho` with a Cyrillic е is another tool, and an allow
 * of `echo` must not cover it): for noticing that two names in one listing would be mistaken for
 * each other, which a catalogue treats as a change. Undefined when the name has no canonical form.
 */
export function lookalikeKey(name: string): string | undefined {
  const canonical = canonicalName(name)
  if (canonical === undefined) return undefined
  if (PLAIN.test(canonical)) return canonical
  return canonical.normalize('NFD').replace(MARKS, '').replace(LOOKALIKE, (ch) => LOOKALIKES[ch]).normalize('NFC')
}
