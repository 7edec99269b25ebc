import {latinise, skeleton} from '../catalogue/confusables.js'
import type {Hit} from '../finding.js'
import {normaliseName, sameSkeleton} from '../names.js'
import {ALL_SURFACES, DEFINITIONS, type DetectContext, type NameRule, pattern, type Subject, type TextRule} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'homoglyph-name',
  technique: 'homoglyph',
  severity: 'high',
  surfaces: DEFINITIONS,
  description: 'A name written with look-alike letters of other scripts (mixed scripts, or the same skeleton as a known tool).',
} as const

const SCRIPT_OF: ReadonlyArray<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
]
const NON_ASCII = /[^\u0000-\u007f]/

export function scriptsOf(word: string): string[] {
  const found = new Set<string>()
  for (const char of word) for (const [script, test] of SCRIPT_OF) if (test.test(char)) found.add(script)
  return [...found]
}

export const homoglyphName: NameRule = {
  meta,
  check(name: string, context: DetectContext): Hit[] {
    const hit = (message: string): Hit[] => [{rule: meta.id, technique: meta.technique, severity: meta.severity, message, start: 0, end: name.length}]
    const normal = normaliseName(name)
    const shape = skeleton(name)
    if (NON_ASCII.test(name)) {
      const reads = latinise(name)
      const scripts = scriptsOf(name)
      if (name.normalize('NFKC') !== name) return hit(`The name "${excerptOf(name)}" uses compatibility letters (fullwidth or styled) that look like "${reads}".`)
      if (scripts.length > 1) return hit(`The name "${excerptOf(name)}" mixes ${scripts.join(' and ')} letters, so it looks like "${reads}" but is not.`)
      if (reads !== normal && /^[a-z0-9_.-]+$/.test(reads)) return hit(`The name "${excerptOf(name)}" is written in look-alike letters of another script: it reads as "${reads}".`)
    }

    // ASCII look-alikes (`read_fiIe`, `send_emaiI`): the same skeleton as a known name, but not that name.
    for (const other of sameSkeleton(context, shape)) {
      if (other.name !== normal && other.skeleton === shape) return hit(`The name "${name}" looks like "${other.name}", ${other.whose}, but is spelt with different characters.`)
    }

    return []
  },
}

const MIXED_WORD = pattern(String.raw`[\p{L}\p{M}]{3,40}`, 'gu')

/** In descriptions: a word that mixes Latin with look-alike letters of another script is a disguise. */
export const homoglyphText: TextRule = {
  meta: {...meta, id: 'homoglyph-text', severity: 'medium', surfaces: ALL_SURFACES, description: 'A word that mixes Latin letters with look-alikes of another script (to slip past filters).'},
  check(subject: Subject): Hit[] {
    if (!NON_ASCII.test(subject.text)) return []
    const hits: Hit[] = []
    MIXED_WORD.lastIndex = 0
    for (const match of subject.text.matchAll(MIXED_WORD)) {
      if (!NON_ASCII.test(match[0]) || !/[a-z]/i.test(match[0])) continue
      const scripts = scriptsOf(match[0])
      if (scripts.length < 2 || !scripts.includes('Latin')) continue
      // Math and units (10μs, αβ-test) mix Greek on purpose; a disguise swaps single letters inside a Latin word.
      const foreign = [...match[0]].filter((c) => !/\p{Script=Latin}/u.test(c))
      if (foreign.length * 2 > match[0].length || /^[µμ]/.test(match[0])) continue
      hits.push({rule: 'homoglyph-text', technique: 'homoglyph', severity: 'medium', message: `The word "${match[0]}" mixes ${scripts.join(' and ')} letters: it reads as "${latinise(match[0])}".`, start: match.index, end: match.index + match[0].length})
      if (hits.length >= 2) break
    }

    return hits
  },
}
