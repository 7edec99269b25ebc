import {describe, expect, it} from 'vitest'

import {packageOf} from '../../src/discovery/packages.js'
import type {PackageRef} from '../../src/discovery/types.js'

function of(line: string): PackageRef | undefined {
  const [command, ...args] = line.split(' ')
  return packageOf(command, args)
}

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`

describe('packageOf: npm runners', () => {
  it.each<[string, PackageRef]>([
    ['npx -y @modelcontextprotocol/server-filesystem /tmp', {ecosystem: 'npm', name: '@modelcontextprotocol/server-filesystem', pinned: false}],
    ['npx --yes @modelcontextprotocol/server-github', {ecosystem: 'npm', name: '@modelcontextprotocol/server-github', pinned: false}],
    ['npx -y @modelcontextprotocol/server-filesystem@2025.8.21 /tmp', {ecosystem: 'npm', name: '@modelcontextprotocol/server-filesystem', version: '2025.8.21', pinned: true}],
    ['npx firecrawl-mcp@1.2.3', {ecosystem: 'npm', name: 'firecrawl-mcp', version: '1.2.3', pinned: true}],
    ['npx -y mcp-remote@0.1.0-beta.2 https://x.test/sse', {ecosystem: 'npm', name: 'mcp-remote', version: '0.1.0-beta.2', pinned: true}],
    ['npx -y @playwright/mcp@latest', {ecosystem: 'npm', name: '@playwright/mcp', version: 'latest', pinned: false}],
    ['npx -y @upstash/context7-mcp@^1.0.0', {ecosystem: 'npm', name: '@upstash/context7-mcp', version: '^1.0.0', pinned: false}],
    ['npx pkg@~1.2.3', {ecosystem: 'npm', name: 'pkg', version: '~1.2.3', pinned: false}],
    ['npx pkg@1.x', {ecosystem: 'npm', name: 'pkg', version: '1.x', pinned: false}],
    ['npx pkg@1', {ecosystem: 'npm', name: 'pkg', version: '1', pinned: false}],
    ['npx pkg@next', {ecosystem: 'npm', name: 'pkg', version: 'next', pinned: false}],
    ['npx -p @scope/tools@3.0.1 scope-tool --flag', {ecosystem: 'npm', name: '@scope/tools', version: '3.0.1', pinned: true}],
    ['npx --package=@scope/tools scope-tool', {ecosystem: 'npm', name: '@scope/tools', pinned: false}],
    ['npx --package @scope/tools@2.0.0 -- scope-tool', {ecosystem: 'npm', name: '@scope/tools', version: '2.0.0', pinned: true}],
    ['npx -y -- server-x@4.5.6 --port 3', {ecosystem: 'npm', name: 'server-x', version: '4.5.6', pinned: true}],
    ['npx --registry https://npm.internal.test -y inner-mcp', {ecosystem: 'npm', name: 'inner-mcp', pinned: false}],
    ['npm exec -y @scope/pkg@1.0.0', {ecosystem: 'npm', name: '@scope/pkg', version: '1.0.0', pinned: true}],
    ['npm exec --yes --package=@scope/pkg -- pkg-bin', {ecosystem: 'npm', name: '@scope/pkg', pinned: false}],
    ['npm x some-mcp', {ecosystem: 'npm', name: 'some-mcp', pinned: false}],
    ['pnpm dlx @scope/pkg@1.2.3', {ecosystem: 'npm', name: '@scope/pkg', version: '1.2.3', pinned: true}],
    ['pnpm --package=@scope/pkg dlx pkg-bin', {ecosystem: 'npm', name: '@scope/pkg', pinned: false}],
    ['pnpx some-mcp', {ecosystem: 'npm', name: 'some-mcp', pinned: false}],
    ['yarn dlx -p @scope/pkg@0.3.0 bin', {ecosystem: 'npm', name: '@scope/pkg', version: '0.3.0', pinned: true}],
    ['bunx @scope/pkg', {ecosystem: 'npm', name: '@scope/pkg', pinned: false}],
    ['bunx --bun some-mcp@2.0.0', {ecosystem: 'npm', name: 'some-mcp', version: '2.0.0', pinned: true}],
    ['bun x some-mcp', {ecosystem: 'npm', name: 'some-mcp', pinned: false}],
  ])('%s', (line, expected) => {
    expect(of(line)).toEqual(expected)
  })

  it('reads git and GitHub specs as fetched code pinned only by a full commit', () => {
    expect(of('npx github:org/repo')).toEqual({ecosystem: 'unknown', name: 'github:org/repo', pinned: false})
    expect(of('npx org/repo#main')).toEqual({ecosystem: 'unknown', name: 'org/repo', version: 'main', pinned: false})
    const sha = 'a'.repeat(40)
    expect(of(`npx git+https://github.com/org/repo.git#${sha}`)).toEqual({ecosystem: 'unknown', name: 'git+https://github.com/org/repo.git', version: sha, pinned: true})
  })

  it('redacts credentials in a fetched URL spec', () => {
    const ref = of('npx git+https://ci:Sup3rS3cretPass@git.internal.test/org/repo.git')
    expect(ref?.name).toBe('git+https://ci:[redacted]@git.internal.test/org/repo.git')
  })

  it('treats a local path given to a runner as local', () => {
    expect(of('npx ./tools/server')).toEqual({ecosystem: 'local', name: './tools/server', pinned: true})
    expect(of('npx file:../server')).toEqual({ecosystem: 'local', name: 'file:../server', pinned: true})
  })
})

describe('packageOf: Python runners', () => {
  it.each<[string, PackageRef]>([
    ['uvx mcp-server-git', {ecosystem: 'pypi', name: 'mcp-server-git', pinned: false}],
    ['uvx mcp-server-git==2025.1.14 --repository .', {ecosystem: 'pypi', name: 'mcp-server-git', version: '2025.1.14', pinned: true}],
    ['uvx mcp-server-fetch==1.2', {ecosystem: 'pypi', name: 'mcp-server-fetch', version: '1.2', pinned: true}],
    ['uvx mcp-server-fetch@1.2', {ecosystem: 'pypi', name: 'mcp-server-fetch', version: '1.2', pinned: true}],
    ['uvx mcp-server-fetch@latest', {ecosystem: 'pypi', name: 'mcp-server-fetch', version: 'latest', pinned: false}],
    ['uvx mcp-server-fetch>=1.0', {ecosystem: 'pypi', name: 'mcp-server-fetch', version: '>=1.0', pinned: false}],
    ['uvx mcp-server-fetch==1.*', {ecosystem: 'pypi', name: 'mcp-server-fetch', version: '==1.*', pinned: false}],
    ['uvx mcp-server-fetch~=1.2', {ecosystem: 'pypi', name: 'mcp-server-fetch', version: '~=1.2', pinned: false}],
    ['uvx awslabs.aws-documentation-mcp-server[extra]==0.3.1rc1', {ecosystem: 'pypi', name: 'awslabs.aws-documentation-mcp-server', version: '0.3.1rc1', pinned: true}],
    ['uvx --from mcp-alchemy==2.1.0 mcp-alchemy', {ecosystem: 'pypi', name: 'mcp-alchemy', version: '2.1.0', pinned: true}],
    ['uvx --from=mcp-alchemy mcp-alchemy', {ecosystem: 'pypi', name: 'mcp-alchemy', pinned: false}],
    ['uvx --python 3.12 --with psycopg2 mcp-alchemy', {ecosystem: 'pypi', name: 'mcp-alchemy', pinned: false}],
    ['uv tool run mcp-server-time==0.6.2', {ecosystem: 'pypi', name: 'mcp-server-time', version: '0.6.2', pinned: true}],
    ['uv --offline tool run --from mcp-server-time mcp-server-time', {ecosystem: 'pypi', name: 'mcp-server-time', pinned: false}],
    ['pipx run mcp-server-time', {ecosystem: 'pypi', name: 'mcp-server-time', pinned: false}],
    ['pipx run --spec mcp-server-time==0.6.2 mcp-server-time', {ecosystem: 'pypi', name: 'mcp-server-time', version: '0.6.2', pinned: true}],
    ['pipx run --python python3.12 some-tool==1.0.0', {ecosystem: 'pypi', name: 'some-tool', version: '1.0.0', pinned: true}],
  ])('%s', (line, expected) => {
    expect(of(line)).toEqual(expected)
  })

  it('reads a git source as fetched code', () => {
    expect(of('uvx --from git+https://github.com/org/mcp.git mcp-thing')).toEqual({ecosystem: 'unknown', name: 'git+https://github.com/org/mcp.git', pinned: false})
    const sha = 'b'.repeat(40)
    expect(of(`uvx --from git+https://github.com/org/mcp.git@${sha} mcp-thing`)).toMatchObject({version: sha, pinned: true})
  })

  it('reads `uv run` as the project’s own code', () => {
    expect(of('uv --directory /srv/weather run weather.py')).toEqual({ecosystem: 'local', name: '/srv/weather/weather.py', pinned: true})
    expect(of('uv run --with mcp mcp run /srv/server.py')).toEqual({ecosystem: 'local', name: 'mcp', pinned: true})
    expect(of('uv run -m my_server')).toEqual({ecosystem: 'local', name: 'my_server', pinned: true})
  })
})

describe('packageOf: containers', () => {
  it.each<[string, PackageRef]>([
    ['docker run -i --rm mcp/fetch', {ecosystem: 'docker', name: 'mcp/fetch', pinned: false}],
    ['docker run -i --rm mcp/fetch:latest', {ecosystem: 'docker', name: 'mcp/fetch', version: 'latest', pinned: false}],
    ['docker run -i --rm ghcr.io/github/github-mcp-server:v0.13.0', {ecosystem: 'docker', name: 'ghcr.io/github/github-mcp-server', version: 'v0.13.0', pinned: true}],
    ['docker run -i --rm ghcr.io/github/github-mcp-server:0.13', {ecosystem: 'docker', name: 'ghcr.io/github/github-mcp-server', version: '0.13', pinned: false}],
    ['docker run -i --rm ghcr.io/github/github-mcp-server:main', {ecosystem: 'docker', name: 'ghcr.io/github/github-mcp-server', version: 'main', pinned: false}],
    [`docker run -i --rm mcp/fetch@${DIGEST}`, {ecosystem: 'docker', name: 'mcp/fetch', version: DIGEST, pinned: true}],
    [`docker run -i --rm mcp/fetch:latest@${DIGEST}`, {ecosystem: 'docker', name: 'mcp/fetch', version: DIGEST, pinned: true}],
    ['docker run -i --rm localhost:5000/team/srv:1.2.3', {ecosystem: 'docker', name: 'localhost:5000/team/srv', version: '1.2.3', pinned: true}],
    ['docker run -i --rm localhost:5000/team/srv', {ecosystem: 'docker', name: 'localhost:5000/team/srv', pinned: false}],
    [
      'docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN -e X=1 -v /a:/b --name gh --network host -p 8080:80 -u 1000 -w /src --env-file .env --platform linux/amd64 -it ghcr.io/github/github-mcp-server:1.0.0 stdio --verbose',
      {ecosystem: 'docker', name: 'ghcr.io/github/github-mcp-server', version: '1.0.0', pinned: true},
    ],
    ['docker run --rm -i --mount=type=bind,src=/a,dst=/b --env=A=1 img:2.0.0', {ecosystem: 'docker', name: 'img', version: '2.0.0', pinned: true}],
    ['docker run -dp 80:80 -eFOO=bar img', {ecosystem: 'docker', name: 'img', pinned: false}],
    ['docker --context remote container run -i img:3.1.4', {ecosystem: 'docker', name: 'img', version: '3.1.4', pinned: true}],
    ['podman run -i --rm quay.io/org/srv:1.0.0', {ecosystem: 'docker', name: 'quay.io/org/srv', version: '1.0.0', pinned: true}],
  ])('%s', (line, expected) => {
    expect(of(line)).toEqual(expected)
  })

  it('does not pretend to know the image of docker exec', () => {
    expect(of('docker exec -i box mcp-server')).toEqual({ecosystem: 'unknown', name: 'docker exec', pinned: false})
  })
})

describe('packageOf: nothing fetched at launch', () => {
  it.each<[string, string]>([
    ['node /srv/mcp/dist/index.js --stdio', '/srv/mcp/dist/index.js'],
    ['node --enable-source-maps -r dotenv/config build/index.js', 'build/index.js'],
    ['python -m mcp_server_git --repository .', 'mcp_server_git'],
    ['python3 -u server.py', 'server.py'],
    ['python3.12 -X utf8 /opt/srv/main.py', '/opt/srv/main.py'],
    ['/usr/local/bin/github-mcp-server stdio', '/usr/local/bin/github-mcp-server'],
    ['github-mcp-server stdio', 'github-mcp-server'],
    ['C:\\Tools\\server.exe --stdio', 'C:\\Tools\\server.exe'],
    ['deno run -A --config deno.json main.ts', 'main.ts'],
    ['bun run src/index.ts', 'src/index.ts'],
  ])('%s', (line, name) => {
    expect(of(line)).toEqual({ecosystem: 'local', name, pinned: true})
  })

  it('names a project script by its first words, never its arguments', () => {
    expect(of('npm start --prefix /srv/weather')).toEqual({ecosystem: 'local', name: '/srv/weather', pinned: true})
    expect(of('npm run serve -- --token abc123def456ghi7')).toEqual({ecosystem: 'local', name: 'npm run serve', pinned: true})
    expect(of('pnpm start --api-key k3yValue-9876-xyz')).toEqual({ecosystem: 'local', name: 'pnpm start --api-key', pinned: true})
    expect(of('yarn --token abc123def456ghi7')).toEqual({ecosystem: 'local', name: 'yarn --token [redacted]', pinned: true})
  })

  it('leaves inline programs out of the name', () => {
    expect(packageOf('python', ['-c', 'import os; print(os.environ["TOKEN"])'])).toEqual({ecosystem: 'local', name: 'python -c', pinned: true})
  })

  it('follows `python -m` into a package runner', () => {
    expect(of('python -m uv tool run mcp-server-time==0.6.2')).toEqual({ecosystem: 'pypi', name: 'mcp-server-time', version: '0.6.2', pinned: true})
  })

  it('reads deno npm: and jsr: specifiers as fetched', () => {
    expect(of('deno run -A npm:@scope/srv@1.0.0')).toEqual({ecosystem: 'npm', name: '@scope/srv', version: '1.0.0', pinned: true})
    expect(of('deno run -A jsr:@scope/srv@1.0.0')).toEqual({ecosystem: 'unknown', name: 'jsr:@scope/srv', version: '1.0.0', pinned: true})
  })
})

describe('packageOf: Windows and wrappers', () => {
  it.each<[string, string[], PackageRef]>([
    ['npx.cmd', ['-y', '@scope/pkg@1.0.0'], {ecosystem: 'npm', name: '@scope/pkg', version: '1.0.0', pinned: true}],
    ['C:\\Program Files\\nodejs\\npx.cmd', ['-y', 'some-mcp'], {ecosystem: 'npm', name: 'some-mcp', pinned: false}],
    ['cmd', ['/c', 'npx', '-y', '@scope/pkg'], {ecosystem: 'npm', name: '@scope/pkg', pinned: false}],
    ['cmd.exe', ['/C', 'npx -y @scope/pkg@2.0.0'], {ecosystem: 'npm', name: '@scope/pkg', version: '2.0.0', pinned: true}],
    ['cmd', ['/s', '/c', '"uvx mcp-server-git==1.0.0"'], {ecosystem: 'pypi', name: 'mcp-server-git', version: '1.0.0', pinned: true}],
    ['uvx.exe', ['mcp-server-git'], {ecosystem: 'pypi', name: 'mcp-server-git', pinned: false}],
    ['node', ['C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js', '-y', 'some-mcp@1.0.0'], {ecosystem: 'npm', name: 'some-mcp', version: '1.0.0', pinned: true}],
    ['bash', ['-lc', 'cd /srv && exec npx -y @scope/pkg@1.0.0'], {ecosystem: 'npm', name: '@scope/pkg', version: '1.0.0', pinned: true}],
    ['sh', ['-c', 'uvx mcp-server-fetch'], {ecosystem: 'pypi', name: 'mcp-server-fetch', pinned: false}],
    ['env', ['FOO=1', '-u', 'BAR', 'npx', '-y', 'some-mcp'], {ecosystem: 'npm', name: 'some-mcp', pinned: false}],
    ['npx -y some-mcp@1.0.0', [], {ecosystem: 'npm', name: 'some-mcp', version: '1.0.0', pinned: true}],
  ])('%s %j', (command, args, expected) => {
    expect(packageOf(command, args)).toEqual(expected)
  })

  it('does not split a command path that holds spaces', () => {
    expect(packageOf('/Applications/My Server.app/Contents/MacOS/server', [])).toEqual({
      ecosystem: 'local',
      name: '/Applications/My Server.app/Contents/MacOS/server',
      pinned: true,
    })
  })
})

describe('packageOf: nothing to say', () => {
  it('returns undefined without a command', () => {
    expect(packageOf(undefined, [])).toBeUndefined()
    expect(packageOf('', ['-y', 'x'])).toBeUndefined()
    expect(packageOf('   ', [])).toBeUndefined()
  })

  it('returns undefined when a runner names no package', () => {
    expect(packageOf('npx', [])).toBeUndefined()
    expect(packageOf('npx', ['-y'])).toBeUndefined()
    expect(packageOf('uvx', ['--python', '3.12'])).toBeUndefined()
    expect(packageOf('docker', ['run', '-i', '--rm'])).toBeUndefined()
    expect(packageOf('cmd', ['/q'])).toBeUndefined()
  })

  it('never takes a docker option value for the image', () => {
    for (const args of [
      ['run', '-e', 'img-looking-value'],
      ['run', '--name', 'mcp/fetch'],
      ['run', '-v', 'a:b'],
    ]) {
      expect(packageOf('docker', args)).toBeUndefined()
    }
  })
})
