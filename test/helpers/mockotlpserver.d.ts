declare module '@elastic/mockotlpserver' {
  export class MockOtlpServer {
    constructor(options?: {
      logLevel?: string
      services?: Array<'grpc' | 'http' | 'ui'>
      httpHostname?: string
      httpPort?: number
      grpcHostname?: string
      grpcPort?: number
      onTrace?: (request: unknown) => void
      onMetrics?: (request: unknown) => void
    })
    httpUrl: URL | null
    grpcUrl: URL | string | null
    start(): Promise<void>
    close(): Promise<void>
  }
  export function normalizeTrace(request: unknown): unknown
  export function normalizeMetrics(request: unknown): unknown
}
