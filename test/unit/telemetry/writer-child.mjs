// A writer process for the concurrency test (runs the built store: `npm test` builds first). Appends
// N records in bursts, then exits without close(), so the exit hook's flush and seal are tested too.
import {setImmediate} from 'node:timers'

import {TraceWriter} from '../../../dist/src/telemetry/store/writer.js'

const [dir, countText, tag] = process.argv.slice(2)
const count = Number(countText)
const writer = new TraceWriter(dir, {checkpointMs: 5})
let i = 0
function burst() {
  for (let n = 0; n < 500 && i < count; n++, i++) {
    writer.append({kind: 'decision', time: Date.now(), agent: tag, server: 'srv', tool: 'tool', stage: 'pre_tool', action: i % 3 === 0 ? 'deny' : 'allow', policy: 'p', rule: `r${i % 7}`, reason: `call ${i} of ${tag}`, latencyUs: i, requestId: i})
  }

  if (i < count) setImmediate(burst)
}

burst()
