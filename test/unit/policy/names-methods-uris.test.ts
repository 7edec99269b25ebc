import {describe, expect, it} from 'vitest'

import {canonicalName, lookalikeKey} from '../../../src/policy/canonical.js'
import {CLIENT_METHODS, knownMethod, passesKillSwitch} from '../../../src/policy/methods.js'
import {isUnder, normalisePath, pathOptionsFor} from '../../../src/policy/paths.js'
import {resourceSubject} from '../../../src/policy/resource-uri.js'
import {call, decide, rules} from './helpers.js'

const LINUX = pathOptionsFor('/home/u', 'linux')
const WINDOWS = pathOptionsFor('C:\\Users\\u', 'win32')
const MAC = pathOptionsFor('/Users/u', 'darwin')

describe('one canonical name', () => {
  it('folds case and width (NFKC): ECHO, Echo and ｅｃｈｏ are echo', () => {
    for (const name of ['echo', 'ECHO', 'Echo', 'ｅｃｈｏ', 'ＥＣＨＯ']) expect(canonicalName(name), name).toBe('echo')
    expect(canonicalName('ﬁle_read')).toBe('file_read')
  })

  it('refuses NUL, control and invisible characters, and blanks at either end', () => {
    for (const name of ['echo\u0000', 'echo ', ' echo', 'echo\u00a0', 'echo\u3000', 'ec\u200bho', 'echo\t', '\u202eohce', 'echo\u{E0041}', 'echo\u001b[2K']) {
      expect(canonicalName(name), JSON.stringify(name)).toBeUndefined()
    }

    // A blank inside is part of the name.
    expect(canonicalName('read file')).toBe('read file')
  })

  it('keeps look-alikes of other scripts distinct for deciding, and tells them apart for noticing', () => {
    const cyrillic = 'еcho' // U+0435
    expect(canonicalName(cyrillic)).not.toBe('echo')
    expect(lookalikeKey(cyrillic)).toBe('echo')
    expect(lookalikeKey('ЕCHO')).toBe('echo')
    expect(lookalikeKey('écho')).toBe('echo')
    expect(lookalikeKey('gеt-еnv')).toBe('get-env')
    expect(lookalikeKey('ｅｃｈｏ')).toBe('echo')
    expect(lookalikeKey('delete_repo')).toBe('delete_repo')
    expect(lookalikeKey('echo\u200b')).toBeUndefined()
  })
})

describe('known methods, each with its stage', () => {
  it('gives each known client method its stage', () => {
    expect(knownMethod('tools/call', 'client', 'request')?.gate).toBe('pre_tool')
    expect(knownMethod('tools/list', 'client', 'request')?.gate).toBe('tool_list')
    expect(knownMethod('resources/read', 'client', 'request')?.gate).toBe('resource')
    expect(knownMethod('prompts/get', 'client', 'request')?.gate).toBe('prompt')
    expect(knownMethod('tasks/result', 'client', 'request')?.gate).toBe('post_tool')
    expect(knownMethod('initialize', 'client', 'request')?.gate).toBe('lifecycle')
    expect(knownMethod('completion/complete', 'client', 'request')?.gate).toBe('session')
  })

  it('knows no variant: case, blanks, NUL, slashes, look-alikes and prefixes are unknown', () => {
    for (const method of ['Tools/Call', 'TOOLS/CALL', 'tools/call ', ' tools/call', 'tools/call\u0000', 'tools/call\n', 'tools//call', '/tools/call', 'tools/call/', 'tools\\call', 'tools／call', 'ｔｏｏｌｓ/call', 'tооls/call', 'tools/call\u200b', 'tools', 'tools/', 'tools/call2', 'rpc.discover', '__proto__', 'constructor', 'toString', '']) {
      expect(knownMethod(method, 'client', 'request'), JSON.stringify(method)).toBeUndefined()
    }
  })

  it('refuses a known method sent the other way or as the other kind', () => {
    expect(knownMethod('tools/call', 'client', 'notification')).toBeUndefined()
    expect(knownMethod('elicitation/create', 'client', 'request')).toBeUndefined()
    expect(knownMethod('sampling/createMessage', 'server', 'request')?.gate).toBe('session')
    expect(knownMethod('tools/call', 'server', 'request')).toBeUndefined()
    expect(knownMethod('notifications/initialized', 'client', 'request')).toBeUndefined()
  })

  it('lets only the lifecycle through the kill switch', () => {
    const passing = [...CLIENT_METHODS].filter(([, known]) => passesKillSwitch(known)).map(([name]) => name)
    expect(passing.sort()).toEqual(['initialize', 'notifications/cancelled', 'notifications/initialized', 'notifications/progress', 'ping'])
    expect(passesKillSwitch(knownMethod('completion/complete', 'client', 'request'))).toBe(false)
    expect(passesKillSwitch(knownMethod('tasks/result', 'client', 'request'))).toBe(false)
    expect(passesKillSwitch(knownMethod('made/up', 'client', 'request'))).toBe(false)
  })
})

describe('paths as the platform reads them', () => {
  it('Linux: only / separates; \\, %2f and ／ are characters of a name', () => {
    expect(normalisePath('/r/secret/a\\..\\..\\public\\x', LINUX)).toBe('/r/secret/a\\..\\..\\public\\x')
    expect(normalisePath('/r/secret/a%2f..%2f..%2fpublic%2fx', LINUX)).toBe('/r/secret/a%2f..%2f..%2fpublic%2fx')
    expect(normalisePath('/r/secret/a／..／..／public／x', LINUX)).toBe('/r/secret/a／..／..／public／x')
    expect(normalisePath('/r/public/../secret/./k', LINUX)).toBe('/r/secret/k')
    expect(normalisePath('~/x', LINUX)).toBe('/home/u/x')
    expect(normalisePath('/r/caf\u0065\u0301', LINUX)).toBe('/r/caf\u00e9')
  })

  it('Windows: \\ separates, drive letters, trailing dots and spaces dropped; UNC, streams and short names undecided', () => {
    expect(normalisePath('C:\\r\\public\\..\\secret\\k', WINDOWS)).toBe('c:/r/secret/k')
    expect(normalisePath('c:/R/Secret. /k', WINDOWS)).toBe('c:/r/secret/k')
    expect(normalisePath('~\\x', WINDOWS)).toBe('c:/users/u/x')
    for (const path of ['\\\\server\\share\\x', '//server/share', 'C:\\r\\k.txt::$DATA', 'C:\\SECRET~1\\k', '/r/x', 'r\\x']) expect(normalisePath(path, WINDOWS), path).toBeUndefined()
  })

  it('macOS: case and NFC/NFD folded', () => {
    expect(normalisePath('/Users/U/Secret/cafe\u0301', MAC)).toBe('/users/u/secret/caf\u00e9')
    expect(isUnder(normalisePath('/R/SECRET/k', MAC)!, normalisePath('/r/secret', MAC)!)).toBe(true)
  })
})

describe('resources/read URIs read as a server reads them', () => {
  it('decides file URIs on the file they name', () => {
    expect(resourceSubject('file:///r/public/../secret/key.txt', LINUX)).toBe('file:///r/secret/key.txt')
    expect(resourceSubject('file:///r/public/%2e%2e/secret/key.txt', LINUX)).toBe('file:///r/secret/key.txt')
    expect(resourceSubject('file:///r/public/%2E./secret/key.txt', LINUX)).toBe('file:///r/secret/key.txt')
    expect(resourceSubject('FILE://localhost/r/./public/x', LINUX)).toBe('file:///r/public/x')
    expect(resourceSubject('file:/r/public/../secret/key.txt', LINUX)).toBe('file:///r/secret/key.txt')
    expect(resourceSubject('file:///r/public/caf%C3%A9', LINUX)).toBe('file:///r/public/caf\u00e9')
    expect(resourceSubject('test://static/resource/1', LINUX)).toBe('test://static/resource/1')
  })

  it('cannot decide what two readers read two ways, or a remote or encoded spelling', () => {
    for (const uri of [
      'file:////r//public//..//secret/key.txt',
      'file:///r/public//../secret/key.txt',
      'file:///r/public\\..\\secret\\key.txt',
      'file:///r/public/a%2f..%2f..%2fsecret%2fkey.txt',
      'file:///r/public/a%5c..%5csecret',
      'file://evil.example/r/public/x',
      'file:///r/public/x?../../secret',
      'file:///r/public/x#../secret',
      'file:r/public/x',
      'file:///r/public/%00/../secret',
      'file:///r/%zz',
      'file:relative',
    ]) {
      expect(resourceSubject(uri, LINUX), uri).toBeUndefined()
    }
  })

  it('the resource stage decides on that subject and refuses what cannot be placed', () => {
    const p = rules('      - {id: pub, tools: ["fs.file:///r/public/*"], action: allow, stages: [resource]}\n      - {id: sec, tools: ["fs.file:///r/secret/*"], action: deny, stages: [resource]}\n')
    expect(decide(p, call('fs.file:///r/public/ok.txt', {}, {stage: 'resource'})).rule).toBe('pub')
    expect(decide(p, call('fs.file:///r/public/../secret/key.txt', {}, {stage: 'resource'})).rule).toBe('sec')
    expect(decide(p, call('fs.file:///r/public/%2e%2e/secret/key.txt', {}, {stage: 'resource'})).rule).toBe('sec')
    const odd = decide(p, call('fs.file:////r//public//..//secret/key.txt', {}, {stage: 'resource'}))
    expect(odd.action).toBe('deny')
    expect(odd.condition).toBe('resource URI undecided')
  })
})
