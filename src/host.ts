import {homedir} from 'node:os'
import {join} from 'node:path'

export type Platform = 'darwin' | 'linux' | 'win32'

/**
 * The machine as discovery sees it: which OS's path conventions apply and where home and the
 * per-OS config roots are. Everything comes from the environment, so a test can fake a macOS or
 * Windows home on Linux (AGENTGOV_PLATFORM, HOME, APPDATA, XDG_CONFIG_HOME).
 */
export interface Host {
  platform: Platform
  home: string
  env: Readonly<Record<string, string | undefined>>
  /** Linux: $XDG_CONFIG_HOME or ~/.config. Elsewhere: ~/.config too (several CLIs use it on every OS). */
  xdgConfig: string
  /** Windows: %APPDATA%; elsewhere unused. */
  appData: string
}

export function hostFromEnv(env: NodeJS.ProcessEnv = process.env, platform?: string): Host {
  const chosen = normalisePlatform(platform ?? env.AGENTGOV_PLATFORM ?? process.platform)
  const home = env.HOME || env.USERPROFILE || homedir()
  return {
    platform: chosen,
    home,
    env,
    xdgConfig: env.XDG_CONFIG_HOME || join(home, '.config'),
    appData: env.APPDATA || join(home, 'AppData', 'Roaming'),
  }
}

function normalisePlatform(value: string): Platform {
  if (value === 'darwin' || value === 'macos' || value === 'mac') return 'darwin'
  if (value === 'win32' || value === 'windows') return 'win32'
  return 'linux'
}

/** Where a desktop app named `name` keeps its per-user data (Electron's userData convention). */
export function appDataDir(host: Host, name: string): string {
  switch (host.platform) {
    case 'darwin': {
      return join(host.home, 'Library', 'Application Support', name)
    }

    case 'win32': {
      return join(host.appData, name)
    }

    default: {
      return join(host.xdgConfig, name)
    }
  }
}

/** VS Code and its forks share one layout under their own user directories. */
export const VSCODE_FLAVOURS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf', 'Trae'] as const

export function vscodeUserDirs(host: Host, flavours: readonly string[] = VSCODE_FLAVOURS): string[] {
  return flavours.map((flavour) => join(appDataDir(host, flavour), 'User'))
}
