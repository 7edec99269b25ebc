// Records one decision and exits straight after shutdown(): the spans must have left the process.
import {createTelemetry} from '../../../dist/src/telemetry/index.js'

const [stateDir, endpoint] = process.argv.slice(2)
const telemetry = await createTelemetry({stateDir, env: {OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRIC_EXPORT_INTERVAL: '60000'}})
telemetry.decision({agent: 'child', server: 's', tool: 't', stage: 'pre_tool', action: 'allow', policy: 'p', rule: 'r', reason: 'ok', latencyUs: 5})
await telemetry.shutdown()
process.exit(0)
