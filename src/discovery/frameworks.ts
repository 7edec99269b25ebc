/**
 * Agent frameworks as data: one row per framework with the package names and import names that
 * give it away, per ecosystem. Patterns ending in `*` match a name prefix (`@ai-sdk/*`,
 * `llama-index-*`); every other entry is an exact name. PyPI names are compared in their PEP 503
 * normal form, NuGet names case-insensitively. Each row has a fixture under
 * test/fixtures/repos/frameworks/<id>/ that the catalogue test scans.
 */
export interface FrameworkEntry {
  id: string
  name: string
  npm?: string[]
  pypi?: string[]
  /** Go module paths; a module also matches its sub-packages (`<module>/...`). */
  go?: string[]
  /** Rust crates (Cargo.toml, Cargo.lock); `use <crate>::` with `-` read as `_` is the import. */
  cargo?: string[]
  /** Maven coordinates `group:artifact` (pom.xml, build.gradle, build.gradle.kts). */
  maven?: string[]
  /** NuGet package ids (`<PackageReference Include=…>` in *.csproj). */
  nuget?: string[]
  /** Import names. Python: dotted module prefixes. JavaScript: package names as in `npm`. */
  pythonImports?: string[]
  jsImports?: string[]
  /** Java and Kotlin `import` package prefixes; C# `using` namespace prefixes. */
  jvmImports?: string[]
  dotnetImports?: string[]
}

export const FRAMEWORKS: readonly FrameworkEntry[] = [
  {
    id: 'langchain',
    name: 'LangChain',
    npm: ['langchain', '@langchain/*'],
    pypi: ['langchain', 'langchain-*'],
    go: ['github.com/tmc/langchaingo'],
    pythonImports: ['langchain', 'langchain_*'],
  },
  {
    id: 'langgraph',
    name: 'LangGraph',
    npm: ['@langchain/langgraph', '@langchain/langgraph-*'],
    pypi: ['langgraph', 'langgraph-*'],
    pythonImports: ['langgraph'],
  },
  {
    id: 'crewai',
    name: 'CrewAI',
    pypi: ['crewai', 'crewai-tools'],
    pythonImports: ['crewai', 'crewai_tools'],
  },
  {
    id: 'autogen',
    name: 'AutoGen / AG2',
    pypi: ['autogen', 'autogen-agentchat', 'autogen-core', 'autogen-ext', 'pyautogen', 'ag2'],
    nuget: ['Microsoft.AutoGen.*', 'AutoGen', 'AutoGen.*'],
    pythonImports: ['autogen', 'autogen_agentchat', 'autogen_core', 'autogen_ext', 'ag2'],
    dotnetImports: ['Microsoft.AutoGen', 'AutoGen'],
  },
  {
    id: 'openai-agents',
    name: 'OpenAI Agents SDK',
    npm: ['@openai/agents', '@openai/agents-*'],
    pypi: ['openai-agents'],
    // Python's import name is the bare word `agents`, which many projects use for their own
    // package: the scanner only counts it in the SDK's own shape (see PY_AGENTS_NAMES in imports.ts).
    pythonImports: [],
  },
  {
    id: 'semantic-kernel',
    name: 'Semantic Kernel',
    npm: ['semantic-kernel'],
    pypi: ['semantic-kernel'],
    nuget: ['Microsoft.SemanticKernel', 'Microsoft.SemanticKernel.*'],
    maven: ['com.microsoft.semantic-kernel:*'],
    pythonImports: ['semantic_kernel'],
    jvmImports: ['com.microsoft.semantickernel'],
    dotnetImports: ['Microsoft.SemanticKernel'],
  },
  {
    id: 'llamaindex',
    name: 'LlamaIndex',
    npm: ['llamaindex', '@llamaindex/*'],
    pypi: ['llama-index', 'llama-index-*'],
    pythonImports: ['llama_index'],
  },
  {
    id: 'haystack',
    name: 'Haystack',
    pypi: ['haystack-ai', 'farm-haystack'],
    pythonImports: ['haystack'],
  },
  {
    id: 'google-adk',
    name: 'Google ADK',
    npm: ['@google/adk'],
    pypi: ['google-adk'],
    go: ['google.golang.org/adk'],
    maven: ['com.google.adk:*'],
    pythonImports: ['google.adk'],
    jvmImports: ['com.google.adk'],
  },
  {
    id: 'pydantic-ai',
    name: 'Pydantic AI',
    pypi: ['pydantic-ai', 'pydantic-ai-slim'],
    pythonImports: ['pydantic_ai'],
  },
  {
    id: 'smolagents',
    name: 'smolagents',
    pypi: ['smolagents'],
    pythonImports: ['smolagents'],
  },
  {
    id: 'dspy',
    name: 'DSPy',
    pypi: ['dspy', 'dspy-ai'],
    pythonImports: ['dspy'],
  },
  {
    id: 'agno',
    name: 'Agno',
    pypi: ['agno'],
    pythonImports: ['agno'],
  },
  {
    id: 'strands',
    name: 'Strands Agents',
    npm: ['@strands-agents/sdk'],
    pypi: ['strands-agents', 'strands-agents-tools'],
    pythonImports: ['strands', 'strands_tools'],
  },
  {
    id: 'mastra',
    name: 'Mastra',
    npm: ['@mastra/core', 'mastra'],
  },
  {
    id: 'vercel-ai',
    name: 'Vercel AI SDK',
    // `ai` is matched as a whole package name only, never as a substring of another.
    npm: ['ai', '@ai-sdk/*'],
  },
  {
    id: 'claude-agent-sdk',
    name: 'Claude Agent SDK',
    npm: ['@anthropic-ai/claude-agent-sdk'],
    pypi: ['claude-agent-sdk'],
    pythonImports: ['claude_agent_sdk'],
  },
  {
    id: 'mcp-sdk',
    name: 'MCP SDK',
    npm: ['@modelcontextprotocol/sdk'],
    pypi: ['mcp', 'fastmcp'],
    go: ['github.com/mark3labs/mcp-go', 'github.com/modelcontextprotocol/go-sdk'],
    cargo: ['rmcp'],
    maven: ['io.modelcontextprotocol.sdk:*', 'io.modelcontextprotocol:kotlin-sdk', 'io.modelcontextprotocol:kotlin-sdk-*'],
    nuget: ['ModelContextProtocol', 'ModelContextProtocol.*'],
    pythonImports: ['mcp', 'fastmcp'],
    jvmImports: ['io.modelcontextprotocol'],
    dotnetImports: ['ModelContextProtocol'],
  },
]

/** Looks a name up among exact entries first, then the longest matching prefix entry. */
export class NameMatcher {
  private readonly exact = new Map<string, FrameworkEntry>()
  private readonly prefixes: Array<{prefix: string; entry: FrameworkEntry}> = []

  constructor(rows: Iterable<[string, FrameworkEntry]>) {
    for (const [pattern, entry] of rows) {
      if (pattern.endsWith('*')) this.prefixes.push({prefix: pattern.slice(0, -1), entry})
      else if (!this.exact.has(pattern)) this.exact.set(pattern, entry)
    }

    // Longest first, so `@langchain/langgraph-*` wins over `@langchain/*`.
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length)
  }

  match(name: string): FrameworkEntry | undefined {
    const hit = this.exact.get(name)
    if (hit) return hit
    for (const {prefix, entry} of this.prefixes) {
      if (name.length > prefix.length && name.startsWith(prefix)) return entry
    }

    return undefined
  }
}

/** PEP 503: case-insensitive, and runs of `-`, `_`, `.` are one `-`. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replaceAll(/[-_.]+/g, '-')
}

function rows(select: (entry: FrameworkEntry) => string[] | undefined, map: (name: string) => string = (n) => n) {
  return FRAMEWORKS.flatMap((entry) => (select(entry) ?? []).map((name): [string, FrameworkEntry] => [map(name), entry]))
}

export const NPM_FRAMEWORKS = new NameMatcher(rows((e) => e.npm))
export const PYPI_FRAMEWORKS = new NameMatcher(rows((e) => e.pypi, normalisePypiName))
export const JS_IMPORT_FRAMEWORKS = new NameMatcher(rows((e) => e.jsImports ?? e.npm))
export const CARGO_FRAMEWORKS = new NameMatcher(rows((e) => e.cargo))
export const RUST_IMPORT_FRAMEWORKS = new NameMatcher(rows((e) => e.cargo, (name) => name.replaceAll('-', '_')))
export const MAVEN_FRAMEWORKS = new NameMatcher(rows((e) => e.maven))
export const NUGET_FRAMEWORKS = new NameMatcher(rows((e) => e.nuget, (name) => name.toLowerCase()))

/** Dotted prefixes: `io.modelcontextprotocol.kotlin.sdk.client` matches `io.modelcontextprotocol`. */
function dottedMatcher(matcher: NameMatcher): (name: string) => FrameworkEntry | undefined {
  return (name) => {
    for (let end = name.length; end > 0; end = name.lastIndexOf('.', end - 1)) {
      const hit = matcher.match(end === name.length ? name : name.slice(0, end))
      if (hit) return hit
    }

    return undefined
  }
}

export const matchJvmImport = dottedMatcher(new NameMatcher(rows((e) => e.jvmImports)))
export const matchDotnetImport = dottedMatcher(new NameMatcher(rows((e) => e.dotnetImports)))

/** Python imports are matched on dotted module prefixes: `google.adk.agents` matches `google.adk`. */
export const matchPythonModule = dottedMatcher(new NameMatcher(rows((e) => e.pythonImports)))

/** Go modules match themselves and their sub-packages. */
export function matchGoModule(path: string): FrameworkEntry | undefined {
  for (const entry of FRAMEWORKS) {
    for (const module of entry.go ?? []) {
      if (path === module || (path.startsWith(module) && path.charCodeAt(module.length) === 47)) return entry
    }
  }

  return undefined
}
