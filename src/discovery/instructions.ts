/**
 * Files that carry standing instructions for coding agents, as data: one row per file kind with the
 * path it sits at (relative to the directory that holds it, posix, `*` within one segment) and the
 * client ids that read it. Agents read nested copies too (Codex, Claude Code, Cursor), so a kind
 * matches in any project directory, not only at the repository root.
 */
export interface InstructionKind {
  kind: string
  paths: string[]
  agents: string[]
}

export const INSTRUCTION_FILES: readonly InstructionKind[] = [
  {
    kind: 'AGENTS.md',
    paths: ['AGENTS.md'],
    agents: ['codex', 'cursor', 'vscode', 'copilot-cli', 'opencode', 'amp', 'windsurf', 'zed', 'roo-code', 'cline', 'kiro', 'goose'],
  },
  {kind: 'CLAUDE.md', paths: ['CLAUDE.md', '.claude/CLAUDE.md', 'CLAUDE.local.md'], agents: ['claude-code', 'zed']},
  {kind: 'GEMINI.md', paths: ['GEMINI.md'], agents: ['gemini-cli', 'zed']},
  {kind: '.cursorrules', paths: ['.cursorrules'], agents: ['cursor', 'zed']},
  {kind: '.cursor/rules', paths: ['.cursor/rules/*.mdc', '.cursor/rules/*.md'], agents: ['cursor']},
  {
    kind: 'copilot-instructions.md',
    paths: ['.github/copilot-instructions.md'],
    agents: ['vscode', 'copilot-cli', 'copilot-jetbrains', 'visual-studio', 'zed'],
  },
  {kind: '.github/instructions', paths: ['.github/instructions/*.instructions.md'], agents: ['vscode', 'copilot-cli']},
  {kind: '.windsurfrules', paths: ['.windsurfrules'], agents: ['windsurf', 'zed']},
  {kind: '.windsurf/rules', paths: ['.windsurf/rules/*.md'], agents: ['windsurf']},
  {kind: '.clinerules', paths: ['.clinerules', '.clinerules/*.md'], agents: ['cline', 'zed']},
  {kind: '.roo/rules', paths: ['.roo/rules/*.md', '.roomodes'], agents: ['roo-code']},
  {kind: '.goosehints', paths: ['.goosehints'], agents: ['goose']},
  {kind: '.junie/guidelines.md', paths: ['.junie/guidelines.md'], agents: ['junie']},
  {kind: '.amazonq/rules', paths: ['.amazonq/rules/*.md'], agents: ['amazon-q']},
  {kind: '.kiro/steering', paths: ['.kiro/steering/*.md'], agents: ['kiro']},
  {kind: '.continue/rules', paths: ['.continue/rules/*.md'], agents: ['continue']},
]
