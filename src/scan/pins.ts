import {PinStore, type PinVerdict, type ToolDefinition} from '../proxy/pins.js'

/**
 * Record what the scan listed as the pin baseline the proxy checks (the proxy's own store, under the
 * name the proxy pins the server by): the first proxied `tools/list` then sees any change since
 * the scan. A definition that already differs from its pin is a rug pull now.
 */
export function pinListing(stateDirectory: string, server: string, tools: ReadonlyArray<Record<string, unknown>>): Map<string, PinVerdict> {
  const definitions = tools.filter((tool): tool is Record<string, unknown> & ToolDefinition => typeof tool.name === 'string')
  return new PinStore(stateDirectory, server).check(definitions)
}
