/**
 * Letters of other scripts that look like Latin ones (a subset of Unicode's confusables.txt that
 * matters for names and phrases), as data: `skeleton` and the phrase folder map through it.
 */
export const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i',
  ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g', ү: 'y', ь: 'b', п: 'n', г: 'r',
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', Х: 'x', Ү: 'y', І: 'i', Ј: 'j', Ѕ: 's', Ԁ: 'd',
  // Greek
  α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', γ: 'y',
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  // Armenian, Latin look-alikes and letter-like symbols
  օ: 'o', ս: 'u', ց: 'g', հ: 'h', ո: 'n', ı: 'i', ȷ: 'j', ℓ: 'l', ℮: 'e', ɑ: 'a', ɩ: 'i', ʋ: 'u', ꓲ: 'i', ꓳ: 'o',
}

 
const ASCII_ONLY = /^[\u0000-\u007f]*$/

/** ASCII look-alikes among themselves: `I`/`l`/`1`, `0`/`O`, `rn`/`m`, `vv`/`w`. */
const ASCII_SKELETON: ReadonlyArray<[RegExp, string]> = [
  [/[1il|]/g, 'l'],
  [/0/g, 'o'],
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/5/g, 's'],
]

/** How a name reads: compatibility forms folded (fullwidth, styled letters), invisible characters dropped, look-alikes as Latin. */
export function latinise(name: string): string {
  let out = ''
  for (const char of name.normalize('NFKC')) {
    const code = char.codePointAt(0)!
    if (code === 0x20_0b || code === 0x20_0c || code === 0x20_0d || code === 0x20_60 || code === 0xfe_ff || code === 0xad) continue
    out += CONFUSABLES[char] ?? char.toLowerCase()
  }

  return out
}

/** A name reduced to how it looks: latinised, case and separators ignored, ASCII look-alikes merged. */
export function skeleton(name: string): string {
  // ASCII is its own compatibility form and has no look-alikes of other scripts.
  let out = (ASCII_ONLY.test(name) ? name.toLowerCase() : latinise(name)).replaceAll(/[\s_.-]+/g, '_')
  for (const [pattern, to] of ASCII_SKELETON) out = out.replaceAll(pattern, to)
  return out
}
