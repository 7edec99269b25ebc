import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {ClientAdapter, ConfigLocation, ReadResult} from '../../src/clients/types.js'
import {type ConfigFormat, parseConfig} from '../../src/config/document.js'

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures')

/** Parse a fixture under test/fixtures/clients/ and read it with an adapter, as discovery does. */
export function readFixture(adapter: ClientAdapter, file: string, format: ConfigFormat, scope: ConfigLocation['scope'] = 'user'): ReadResult {
  const path = join(FIXTURES, 'clients', file)
  const doc = parseConfig(readFileSync(path, 'utf8'), format)
  return adapter.read(doc, {path, scope, format})
}
