import type {Hit} from '../finding.js'
import {editDistance, normaliseName, sameEnds} from '../names.js'
import {DEFINITIONS, type DetectContext, type NameRule} from '../rule.js'
import {WELL_KNOWN_TOOLS} from '../catalogue/well-known-tools.js'

const meta = {
  id: 'typosquat-name',
  technique: 'typosquat',
  severity: 'medium',
  surfaces: DEFINITIONS,
  description: "A name one or two edits away from a well-known tool's or another server's tool's name, with a misspelt word in it.",
} as const

// Words of well-known names, and common words of tool names: a name made only of real words is a different tool, not a misspelling.
const VOCABULARY = new Set([
  ...WELL_KNOWN_TOOLS.flatMap((name) => normaliseName(name).split('_')),
  ...'get set list read write create update delete remove add search find fetch send post run exec execute open close move copy rename make new edit show view describe query insert upsert sync check validate test build deploy start stop status info stats file files dir directory folder path paths tree item items entry entries page pages doc docs document documents note notes task tasks todo todos user users team teams project projects repo repos issue issues comment comments label labels tag tags tab tabs branch branches commit commits message messages mail mails email emails event events calendar chat chats channel channels thread threads reply replies image images table tables row rows column columns record records schema schemas database databases db key keys value values config settings env log logs metric metrics alert alerts trace traces span spans job jobs run runs pod pods node nodes container containers service services bucket buckets object objects blob blobs url urls link links web site sites text texts content contents data summary summarize translate convert format parse render print time date current weather forecast price prices stock stocks map maps place places route routes direction directions location locations by to from for of in on with all one many multiple batch bulk recent latest my me info details detail'.split(' '),
])

function misspelt(name: string): boolean {
  return name.split('_').some((word) => word !== '' && !/^\d+$/.test(word) && !VOCABULARY.has(word) && !VOCABULARY.has(word.replace(/(?:es|s)$/, '')))
}

/** A legitimate variant of a name: plural, separator, version or one added word. */
function variant(a: string, b: string): boolean {
  const strip = (s: string): string => s.replaceAll(/_/g, '').replace(/s$/, '')
  return strip(a) === strip(b) || a.startsWith(`${b}_`) || b.startsWith(`${a}_`) || a.endsWith(`_${b}`) || b.endsWith(`_${a}`) || /_v\d+$/.test(a)
}

export const typosquatName: NameRule = {
  meta,
  check(name: string, context: DetectContext): Hit[] {
    const normal = normaliseName(name)
    if (normal.length < 4 || !misspelt(normal)) return []
    // A misspelling keeps the start or the end of the name it imitates: only those names are measured.
    for (const {name: other, whose} of sameEnds(context, normal)) {
      const limit = other.length >= 12 ? 2 : other.length >= 5 ? 1 : 0
      if (limit === 0 || Math.abs(other.length - normal.length) > limit || other === normal) continue
      if (editDistance(normal, other, limit) <= limit && !variant(normal, other)) {
        return [{rule: meta.id, technique: meta.technique, severity: meta.severity, message: `The name "${name}" is a near-miss of "${other}", ${whose}: a typosquat would catch calls meant for it.`, start: 0, end: name.length}]
      }
    }

    return []
  },
}
