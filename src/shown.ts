/**
 * Characters a terminal acts on or that reorder what is shown: C0 controls and DEL (ESC starts erase,
 * cursor and OSC 52 clipboard sequences; BEL, BS and CR overwrite), C1 controls (U+009B is CSI to
 * some terminals), bidi overrides, isolates and marks (a name that reads backwards), and the Unicode
 * line and paragraph separators.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g
const CONTROL_OR_NEWLINE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

function escapeOne(char: string): string {
  const code = char.codePointAt(0)!
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * Text as a person may see it in a terminal: every control character written as an escape (`\x1b`),
 * so nothing a server or an agent chose (a tool name, a reason, an argument) can move the cursor,
 * erase a line, write the clipboard or reorder the row. One line by default (a newline is shown as
 * `\x0a`: a name cannot fake a row); `lines` keeps newlines and tabs, for text that is ours to lay out.
 */
export function shown(text: string, options: {lines?: boolean} = {}): string {
  const pattern = options.lines ? CONTROL : CONTROL_OR_NEWLINE
  pattern.lastIndex = 0
  return pattern.test(text) ? text.replaceAll(pattern, escapeOne) : text
}
