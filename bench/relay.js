#!/usr/bin/env node
// A bare stdio relay: the real server as a child, bytes copied both ways, nothing parsed or decided.
// The proxy benchmark runs it as a baseline: the cost any stdio proxy pays for the extra process and
// two pipe hops, so agentgov's own overhead can be read apart from it.
import {spawn} from 'node:child_process'

const [command, ...args] = process.argv.slice(2)
const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'inherit']})
process.stdin.pipe(child.stdin)
child.stdout.pipe(process.stdout)
child.on('exit', (code) => process.exit(code ?? 0))
