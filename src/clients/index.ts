import {amazonQ} from './amazon-q.js'
import {amp} from './amp.js'
import {antigravity} from './antigravity.js'
import {claudeCode} from './claude-code.js'
import {claudeDesktop} from './claude-desktop.js'
import {cline} from './cline.js'
import {codex} from './codex.js'
import {continueDev} from './continue.js'
import {copilotCli} from './copilot-cli.js'
import {copilotJetbrains} from './copilot-jetbrains.js'
import {cursor} from './cursor.js'
import {geminiCli} from './gemini-cli.js'
import {goose} from './goose.js'
import {junie} from './junie.js'
import {kiro} from './kiro.js'
import {lmStudio} from './lm-studio.js'
import {opencode} from './opencode.js'
import {rooCode} from './roo-code.js'
import {trae} from './trae.js'
import type {ClientAdapter} from './types.js'
import {visualStudio} from './visual-studio.js'
import {vscode} from './vscode.js'
import {windsurf} from './windsurf.js'
import {zed} from './zed.js'

/** Every MCP client agentgov knows. Order is the order of the human report. */
export const CLIENTS: readonly ClientAdapter[] = [
  claudeDesktop,
  claudeCode,
  cursor,
  vscode,
  windsurf,
  geminiCli,
  cline,
  rooCode,
  continueDev,
  zed,
  codex,
  goose,
  opencode,
  amazonQ,
  kiro,
  copilotCli,
  copilotJetbrains,
  lmStudio,
  junie,
  antigravity,
  trae,
  visualStudio,
  amp,
]

export function clientById(id: string): ClientAdapter | undefined {
  return CLIENTS.find((client) => client.id === id)
}
