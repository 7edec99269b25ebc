import {redactArgs, redactUrl} from '../detect/secrets.js'
import type {PackageRef} from './types.js'

/**
 * What an MCP server launch fetches and runs: the package a runner (npx, uvx, docker, …) downloads
 * at launch and whether the launch names an exact version, or 'local' when nothing is fetched (a
 * script, a module, an installed binary).
 */
export function packageOf(command: string | undefined, args: readonly string[]): PackageRef | undefined {
  if (command === undefined || command.trim() === '') return undefined
  // `"command": "npx -y pkg"` with no args: some configs put the whole line in `command`.
  const argv = args.length === 0 && /\s/.test(command.trim()) && !/[\\/]/.test(command.trim().split(/\s/)[0]) ? splitCommandLine(command) : [command, ...args]
  return resolve(argv, 0)
}

/** The executable's name as a runner check wants it: no directory, no Windows extension, lower case. */
export function executableName(path: string): string {
  const base = path.replaceAll('\\', '/').split('/').pop() ?? ''
  return base.replace(/\.(?:exe|cmd|bat|com|ps1)$/i, '').toLowerCase()
}

/** Split a command line on whitespace, keeping '…' and "…" together; backslashes stay literal (Windows paths). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = []
  let current = ''
  let quote: string | undefined
  let started = false
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = undefined
      else current += char
    } else if (char === '"' || char === "'") {
      quote = char
      started = true
    } else if (/\s/.test(char)) {
      if (started) out.push(current)
      current = ''
      started = false
    } else {
      current += char
      started = true
    }
  }

  if (started) out.push(current)
  return out
}

type Parser = (rest: string[], argv: string[], depth: number) => PackageRef | undefined

const MAX_DEPTH = 4

function resolve(argv: string[], depth: number): PackageRef | undefined {
  if (argv.length === 0 || depth > MAX_DEPTH) return undefined
  const name = executableName(argv[0])
  const parser = RUNNERS[name] ?? (/^python(?:\d+(?:\.\d+)*)?w?$/.test(name) ? python : undefined)
  return parser ? parser(argv.slice(1), argv, depth) : local(argv[0])
}

function local(name: string): PackageRef {
  return {ecosystem: 'local', name, pinned: true}
}

/** `npm run start`, `uv run`: enough words to say what runs, never the arguments that may carry secrets. */
function commandName(argv: readonly string[]): string {
  return redactArgs(argv.slice(0, 3)).join(' ')
}

const RUNNERS: Record<string, Parser> = {
  npx: (rest) => nodeRunner(rest),
  pnpx: (rest) => nodeRunner(rest),
  bunx: (rest) => nodeRunner(rest),
  npm(rest, argv) {
    const at = positionalIndexes(rest, NPM_VALUE_OPTIONS)[0] ?? -1
    if (rest[at] === 'exec' || rest[at] === 'x') return nodeRunner([...rest.slice(0, at), ...rest.slice(at + 1)])
    // `npm start --prefix dir`, `npm run x`: the project's own script.
    const prefix = optionValue(rest, ['--prefix', '-C'])
    return local(prefix ?? commandName(argv))
  },
  pnpm: (rest, argv) => subcommand(rest, ['dlx'], nodeRunner, argv),
  yarn: (rest, argv) => subcommand(rest, ['dlx'], nodeRunner, argv),
  bun: (rest, argv) =>
    subcommand(rest, ['x'], nodeRunner, argv, (after) => scriptOf(after[0] === 'run' ? after.slice(1) : after, NODE_VALUE_OPTIONS) ?? argv[0]),
  uvx: (rest) => uvTool(rest),
  uv(rest, argv) {
    const positionals = positionalIndexes(rest, UV_GLOBAL_VALUE_OPTIONS)
    const [first, second] = positionals.map((i) => rest[i])
    if (first === 'tool' && (second === 'run' || second === 'x')) return uvTool(rest.slice(positionals[1] + 1))
    if (first === 'run') {
      const after = rest.slice(positionals[0] + 1)
      const module = optionValue(after, ['--module', '-m'])
      const target = scriptOf(after, UV_RUN_VALUE_OPTIONS)
      // `uv --directory /srv/weather run weather.py`: the directory tells one local server from another.
      const directory = optionValue(rest.slice(0, positionals[0]), ['--directory']) ?? optionValue(after, ['--directory'])
      if (module) return local(module)
      if (!target) return local(commandName(argv))
      return local(directory && !isLocalPath(target) ? `${directory.replace(/[/\\]+$/, '')}/${target}` : target)
    }

    return local(commandName(argv))
  },
  pipx(rest, argv) {
    const at = rest.findIndex((arg) => !arg.startsWith('-'))
    if (rest[at] !== 'run') return local(argv[0])
    const after = rest.slice(at + 1)
    const spec = optionValue(after, ['--spec'])
    const app = after[positionalIndexes(after, PIPX_VALUE_OPTIONS)[0]]
    return spec || app ? pythonSpec((spec ?? app)!) : undefined
  },
  docker: (rest) => container('docker', rest),
  podman: (rest) => container('podman', rest),
  nerdctl: (rest) => container('nerdctl', rest),
  node: (rest, argv, depth) => script(rest, argv, depth, NODE_VALUE_OPTIONS),
  nodejs: (rest, argv, depth) => script(rest, argv, depth, NODE_VALUE_OPTIONS),
  tsx: (rest, argv, depth) => script(rest, argv, depth, NODE_VALUE_OPTIONS),
  'ts-node': (rest, argv, depth) => script(rest, argv, depth, NODE_VALUE_OPTIONS),
  py: (rest, argv, depth) => python(rest, argv, depth),
  deno(rest, argv) {
    const at = rest.findIndex((arg) => !arg.startsWith('-'))
    const target = rest[at] === 'run' ? scriptOf(rest.slice(at + 1), DENO_VALUE_OPTIONS) : undefined
    if (!target) return local(argv[0])
    if (target.startsWith('npm:')) return npmSpec(target.slice(4))
    if (target.startsWith('jsr:')) {
      const ref = npmSpec(target.slice(4))
      return {...ref, ecosystem: 'unknown', name: `jsr:${ref.name}`}
    }

    if (/^https?:/.test(target)) return remoteSpec(target)
    return local(target)
  },
  go(rest, argv) {
    if (rest[0] !== 'run') return local(argv[0])
    const target = scriptOf(rest.slice(1), new Set(['-C', '-tags', '-ldflags', '-gcflags', '-mod', '-exec', '-o']))
    if (!target || !target.includes('@')) return local(target ?? argv[0])
    const at = target.lastIndexOf('@')
    const version = target.slice(at + 1)
    return {ecosystem: 'unknown', name: target.slice(0, at), version, pinned: EXACT_SEMVER.test(version)}
  },
  // Wrappers: look through them at the command they start.
  cmd(rest, _argv, depth) {
    const at = rest.findIndex((arg) => /^\/[ck]$/i.test(arg))
    return at === -1 ? undefined : resolveRest(rest.slice(at + 1), depth)
  },
  sh: (rest, argv, depth) => shell(rest, argv, depth),
  bash: (rest, argv, depth) => shell(rest, argv, depth),
  zsh: (rest, argv, depth) => shell(rest, argv, depth),
  dash: (rest, argv, depth) => shell(rest, argv, depth),
  powershell: (rest, argv, depth) => shell(rest, argv, depth),
  pwsh: (rest, argv, depth) => shell(rest, argv, depth),
  env(rest, _argv, depth) {
    let i = 0
    while (i < rest.length && (rest[i].startsWith('-') || /^[A-Za-z_]\w*=/.test(rest[i]))) {
      if (rest[i] === '--') {
        i++
        break
      }

      if (rest[i] === '-u' || rest[i] === '--unset' || rest[i] === '-C' || rest[i] === '--chdir') i++
      if (rest[i] === '-S' || rest[i] === '--split-string') return resolveRest(rest.slice(i + 1), depth)
      i++
    }

    return resolveRest(rest.slice(i), depth)
  },
}

function resolveRest(rest: string[], depth: number): PackageRef | undefined {
  let argv = rest
  // `cmd /s /c ""npx -y pkg""`: one argument holding a whole (possibly quoted) command line.
  for (let round = 0; round < 3 && argv.length === 1 && /\s/.test(argv[0]); round++) argv = splitCommandLine(argv[0])
  return resolve(argv, depth + 1)
}

function shell(rest: string[], argv: string[], depth: number): PackageRef | undefined {
  const at = rest.findIndex((arg) => /^-[a-z]*c$/i.test(arg) || /^-command$/i.test(arg))
  if (at === -1 || at + 1 >= rest.length) return local(scriptOf(rest, new Set()) ?? argv[0])
  // `cd /srv && exec npx -y pkg`: the last command is the one that stays running.
  const last = rest[at + 1].split(/&&|\|\||;/).pop()!.trim().replace(/^exec\s+/, '')
  return resolve(splitCommandLine(last), depth + 1)
}

function subcommand(rest: string[], verbs: string[], run: (rest: string[]) => PackageRef | undefined, argv: string[], otherwise?: (after: string[]) => string): PackageRef | undefined {
  const at = rest.findIndex((arg) => !arg.startsWith('-') && !/^--?\w[\w-]*=/.test(arg))
  if (at !== -1 && verbs.includes(rest[at])) return run([...rest.slice(0, at), ...rest.slice(at + 1)])
  return local(otherwise ? otherwise(rest) : commandName(argv))
}

// ---------------------------------------------------------------------------------------------------
// Option scanning

/** Indexes of positional arguments, skipping the values of options that take one. */
function positionalIndexes(args: readonly string[], valueOptions: ReadonlySet<string>): number[] {
  const found: number[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') {
      for (let j = i + 1; j < args.length; j++) found.push(j)
      break
    }

    if (arg.startsWith('-') && arg.length > 1) {
      if (!arg.includes('=') && valueOptions.has(arg)) i++
      continue
    }

    found.push(i)
  }

  return found
}

function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break
    for (const name of names) {
      if (args[i] === name) return args[i + 1]
      if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1)
    }
  }

  return undefined
}

function scriptOf(args: readonly string[], valueOptions: ReadonlySet<string>): string | undefined {
  const at = positionalIndexes(args, valueOptions)[0]
  return at === undefined ? undefined : args[at]
}

// ---------------------------------------------------------------------------------------------------
// npm

const EXACT_SEMVER = /^[=v]?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/
const NPM_VALUE_OPTIONS = new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace', '--prefix', '--allow-build'])

/** npx, npm exec, pnpm dlx, yarn dlx, bunx: `-p pkg cmd` names the package, else the first positional does. */
function nodeRunner(rest: string[]): PackageRef | undefined {
  const spec = optionValue(rest, ['-p', '--package']) ?? rest[positionalIndexes(rest, NPM_VALUE_OPTIONS)[0]]
  return spec ? npmSpec(spec) : undefined
}

function npmSpec(raw: string): PackageRef {
  const spec = raw.startsWith('npm:') ? raw.slice(4) : raw
  if (isLocalPath(spec) || spec.startsWith('file:')) return local(spec)
  // git, tarball URLs and `owner/repo` GitHub shorthand: fetched, versioned by a commit if at all.
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|https?:)/.test(spec) || (!spec.startsWith('@') && spec.includes('/'))) return remoteSpec(spec)
  const at = spec.indexOf('@', 1)
  if (at === -1) return {ecosystem: 'npm', name: spec, pinned: false}
  const version = spec.slice(at + 1)
  return {ecosystem: 'npm', name: spec.slice(0, at), version, pinned: EXACT_SEMVER.test(version)}
}

function remoteSpec(spec: string): PackageRef {
  const clean = redactUrl(spec)
  const hash = clean.lastIndexOf('#')
  const atRef = /@([0-9a-f]{7,40})$/i.exec(clean)
  const ref = hash === -1 ? atRef?.[1] : clean.slice(hash + 1)
  const name = hash === -1 ? (atRef ? clean.slice(0, atRef.index) : clean) : clean.slice(0, hash)
  // Only a full commit hash pins a git dependency: branches, tags and short hashes can move or collide.
  return {ecosystem: 'unknown', name, ...(ref && {version: ref}), pinned: /^[0-9a-f]{40}$/i.test(ref ?? '')}
}

function isLocalPath(spec: string): boolean {
  return /^(?:\.{1,2}[/\\]|[/\\]|~[/\\]|[A-Za-z]:[/\\])/.test(spec) || spec === '.' || spec === '..'
}

// ---------------------------------------------------------------------------------------------------
// Python

const UV_GLOBAL_VALUE_OPTIONS = new Set([
  '--directory', '--project', '--cache-dir', '--config-file', '--color', '--python-preference', '--allow-insecure-host',
])
const UV_TOOL_VALUE_OPTIONS = new Set([
  ...UV_GLOBAL_VALUE_OPTIONS, '--from', '--with', '--with-editable', '--with-requirements', '-w', '--python', '-p',
  '--index', '--default-index', '--index-url', '-i', '--extra-index-url', '--find-links', '-f', '--constraints', '-c',
  '--overrides', '--build-constraints', '-b', '--env-file', '--refresh-package', '--reinstall-package', '--upgrade-package',
  '-P', '--keyring-provider', '--resolution', '--prerelease', '--exclude-newer', '--link-mode', '--index-strategy',
  '--no-build-package', '--no-binary-package', '--config-setting', '-C',
])
const UV_RUN_VALUE_OPTIONS = new Set([...UV_TOOL_VALUE_OPTIONS, '--extra', '--group', '--only-group', '--package', '--module', '-m'])
const PIPX_VALUE_OPTIONS = new Set(['--spec', '--python', '--pip-args', '--index-url', '-i', '--backend', '--fetch-python'])
const PEP440_EXACT = /^v?\d+(?:\.\d+)*(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)\d*)?(?:[-_.]?post\d*)?(?:[-_.]?dev\d*)?(?:\+[a-z0-9.]+)?$/i

function uvTool(rest: string[]): PackageRef | undefined {
  const spec = optionValue(rest, ['--from']) ?? rest[positionalIndexes(rest, UV_TOOL_VALUE_OPTIONS)[0]]
  return spec ? pythonSpec(spec) : undefined
}

function pythonSpec(raw: string): PackageRef {
  const spec = raw.trim()
  if (isLocalPath(spec) || (/\.(?:whl|tar\.gz|zip)$/i.test(spec) && !/^https?:/.test(spec))) return local(spec)
  if (/^(?:git\+|https?:|file:)/.test(spec) || / @ /.test(spec)) return remoteSpec(spec.replace(/^[\w.-]+(?:\[[^\]]*\])?\s*@\s*/, ''))
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(.*)$/.exec(spec)
  if (!match) return {ecosystem: 'pypi', name: spec, pinned: false}
  const [, name, constraint] = match
  if (constraint === '') return {ecosystem: 'pypi', name, pinned: false}
  // uvx accepts `pkg@1.2.3` (exact) and `pkg@latest`; pip syntax pins with `==` or `===` and no wildcard.
  const exact = /^(?:@|===?)\s*([^,;\s*]+)$/.exec(constraint)
  const version = exact ? exact[1] : constraint
  return {ecosystem: 'pypi', name, version, pinned: exact !== null && PEP440_EXACT.test(exact[1])}
}

const PYTHON_VALUE_OPTIONS = new Set(['-X', '-W', '--check-hash-based-pycs'])
// `python -m uv tool run …` and friends run a package manager, not the server.
const PYTHON_MODULE_RUNNERS = new Set(['uv', 'pipx'])

function python(rest: string[], argv: string[], depth: number): PackageRef | undefined {
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if (arg === '-m' || (arg.startsWith('-m') && arg.length > 2 && !arg.startsWith('--'))) {
      const module = arg === '-m' ? rest[i + 1] : arg.slice(2)
      if (!module) return local(argv[0])
      const after = rest.slice(arg === '-m' ? i + 2 : i + 1)
      return PYTHON_MODULE_RUNNERS.has(module) ? resolve([module, ...after], depth + 1) : local(module)
    }

    // The inline program is left out: it may be long and may hold anything.
    if (arg === '-c') return local(`${argv[0]} -c`)
    if (arg === '-' || !arg.startsWith('-')) return local(arg)
    if (PYTHON_VALUE_OPTIONS.has(arg)) i++
  }

  return local(argv[0])
}

// ---------------------------------------------------------------------------------------------------
// Node scripts

const DENO_VALUE_OPTIONS = new Set(['-c', '--config', '--import-map', '--lock', '--cert', '--location', '--seed', '-L', '--log-level', '--env-file'])
const NODE_VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C', '--title', '--inspect-port', '--stack-size', '--max-old-space-size'])
// npx.cmd and npm.cmd on Windows run `node …/npx-cli.js`.
const NODE_RUNNER_SCRIPTS: Record<string, Parser> = {'npx-cli': RUNNERS.npx, 'npm-cli': RUNNERS.npm}

function script(rest: string[], argv: string[], depth: number, valueOptions: ReadonlySet<string>): PackageRef | undefined {
  if (rest.some((arg) => arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print')) return local(argv[0])
  const at = positionalIndexes(rest, valueOptions)[0]
  if (at === undefined) return local(argv[0])
  const runner = NODE_RUNNER_SCRIPTS[executableName(rest[at]).replace(/\.[cm]?js$/, '')]
  return runner ? runner(rest.slice(at + 1), rest.slice(at), depth + 1) : local(rest[at])
}

// ---------------------------------------------------------------------------------------------------
// Containers

const DOCKER_GLOBAL_VALUE_OPTIONS = new Set(['--context', '-c', '--host', '-H', '--config', '--log-level', '-l', '--tlscacert', '--tlscert', '--tlskey', '--url', '--connection', '--root', '--runroot'])
const DOCKER_RUN_VALUE_OPTIONS = new Set([
  '--add-host', '--annotation', '--attach', '--arch', '--authfile', '--blkio-weight', '--blkio-weight-device', '--cap-add',
  '--cap-drop', '--cert-dir', '--cgroup-parent', '--cgroupns', '--cidfile', '--cpu-period', '--cpu-quota', '--cpu-rt-period',
  '--cpu-rt-runtime', '--cpu-shares', '--cpus', '--cpuset-cpus', '--cpuset-mems', '--creds', '--detach-keys', '--device',
  '--device-cgroup-rule', '--device-read-bps', '--device-read-iops', '--device-write-bps', '--device-write-iops', '--dns',
  '--dns-option', '--dns-search', '--domainname', '--entrypoint', '--env', '--env-file', '--expose', '--gpus', '--group-add',
  '--health-cmd', '--health-interval', '--health-retries', '--health-start-interval', '--health-start-period',
  '--health-timeout', '--hostname', '--ip', '--ip6', '--ipc', '--isolation', '--kernel-memory', '--label', '--label-file',
  '--link', '--link-local-ip', '--log-driver', '--log-opt', '--mac-address', '--memory', '--memory-reservation',
  '--memory-swap', '--memory-swappiness', '--mount', '--name', '--net', '--net-alias', '--network', '--network-alias',
  '--oom-score-adj', '--os', '--pid', '--pids-limit', '--platform', '--pod', '--publish', '--pull', '--restart', '--runtime',
  '--secret', '--security-opt', '--shm-size', '--stop-signal', '--stop-timeout', '--storage-opt', '--sysctl', '--tmpfs',
  '--ulimit', '--user', '--userns', '--uts', '--variant', '--volume', '--volume-driver', '--volumes-from', '--workdir',
])
// Single-letter options that take a value (-e X, -v a:b, -p 80:80, -u 1000, -w /src, -l k=v, -m 1g, -h host, -a stdin, -c 512).
const DOCKER_SHORT_VALUE = new Set(['a', 'c', 'e', 'h', 'l', 'm', 'p', 'u', 'v', 'w'])

function container(tool: string, rest: string[]): PackageRef | undefined {
  const positionals = positionalIndexes(rest, DOCKER_GLOBAL_VALUE_OPTIONS)
  let verbAt = positionals[0]
  if (rest[verbAt] === 'container') verbAt = positionals[1]
  if (verbAt === undefined) return undefined
  if (rest[verbAt] !== 'run') {
    // `docker exec -i box cmd`, `docker compose run svc`: the image is not on the command line.
    return {ecosystem: 'unknown', name: `${tool} ${rest[verbAt]}`, pinned: false}
  }

  const image = dockerImageArg(rest.slice(verbAt + 1))
  return image ? dockerImage(image) : undefined
}

function dockerImageArg(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') return args[i + 1]
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && DOCKER_RUN_VALUE_OPTIONS.has(arg)) i++
      continue
    }

    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster like -it or -dp 80:80: the first value-taking letter takes the rest of the cluster or the next arg.
      const letters = arg.slice(1)
      const valueAt = [...letters].findIndex((letter) => DOCKER_SHORT_VALUE.has(letter))
      if (valueAt !== -1 && valueAt === letters.length - 1) i++
      continue
    }

    return arg
  }

  return undefined
}

function dockerImage(ref: string): PackageRef {
  const at = ref.indexOf('@')
  const digest = at === -1 ? undefined : ref.slice(at + 1)
  const named = at === -1 ? ref : ref.slice(0, at)
  const colon = named.lastIndexOf(':')
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon + 1) : undefined
  const name = tag === undefined ? named : named.slice(0, colon)
  const pinnedDigest = digest !== undefined && /^[a-z0-9]+:[0-9a-f]{32,}$/i.test(digest)
  const pinnedTag = tag !== undefined && /^v?\d+\.\d+\.\d+(?:[-+._][0-9A-Za-z.-]+)?$/.test(tag)
  const version = digest ?? tag
  return {ecosystem: 'docker', name, ...(version && {version}), pinned: pinnedDigest || pinnedTag}
}
