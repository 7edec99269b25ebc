import {unwatchFile, watchFile} from 'node:fs'

import {readJsonFile, writeJsonFile} from '../state-files.js'
import {killSwitchFile} from '../state-layout.js'

export interface KillFile {
  agents: Record<string, {at: string; by: string; reason?: string}>
}

export function killFilePath(stateDirectory: string): string {
  return killSwitchFile(stateDirectory)
}

export function readKilled(stateDirectory: string): KillFile {
  const file = readJsonFile<KillFile>(killFilePath(stateDirectory))
  return file && typeof file.agents === 'object' && file.agents !== null ? file : {agents: {}}
}

export function setKilled(stateDirectory: string, agent: string, killed: boolean, by: string, reason?: string): KillFile {
  const file = readKilled(stateDirectory)
  if (killed) file.agents[agent] = {at: new Date().toISOString(), by, ...(reason ? {reason} : {})}
  else delete file.agents[agent]
  writeJsonFile(killFilePath(stateDirectory), file)
  return file
}

/**
 * Every running proxy follows the kill file. Polling (not fs.watch) because the file is replaced by
 * rename, which inotify reports unreliably across editors and filesystems; 250 ms keeps the promise
 * of "blocked everywhere within a second".
 */
export function watchKilled(stateDirectory: string, onChange: (agents: ReadonlySet<string>) => void): () => void {
  const path = killFilePath(stateDirectory)
  const emit = () => onChange(new Set(Object.keys(readKilled(stateDirectory).agents)))
  emit()
  watchFile(path, {interval: 250, persistent: false}, emit)
  return () => unwatchFile(path, emit)
}
