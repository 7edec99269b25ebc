import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {expect} from 'vitest'

/** The official SARIF 2.1.0 schema (test/fixtures/sarif/README.md says where it comes from and how it is read). */
const SCHEMA_FILE = join(import.meta.dirname, '..', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json')

const validate = (() => {
  const {id, $schema: _draft04, ...schema} = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as {id: string; $schema: string}
  const ajv = new Ajv({allErrors: true})
  addFormats.default(ajv)
  return ajv.compile({...schema, $schema: 'http://json-schema.org/draft-07/schema#', $id: id})
})()

/** Every test that produces SARIF calls this: the log must be valid SARIF 2.1.0, or the test fails saying where. */
export function expectValidSarif(log: unknown): void {
  const valid = validate(log)
  const problems = (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
  expect(valid, `not valid SARIF 2.1.0:\n${problems.join('\n')}`).toBe(true)
}
