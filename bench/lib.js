// Helpers shared by the benchmarks (plain ESM: benchmarks run the compiled dist/, not the sources).
import {existsSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {clearInterval, setInterval} from 'node:timers'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist', 'src')

/** A compiled module of src/ (run `npm run build` first; `npm run bench` does). */
export async function importDist(path) {
  const file = join(dist, path)
  if (!existsSync(file)) throw new Error(`${relative(root, file)} does not exist: run npm run build`)
  return import(pathToFileURL(file).href)
}

/** Peak RSS in bytes: sampled while running, and the kernel's high-water mark, whichever is larger. */
export function sampleRss() {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 5)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, process.resourceUsage().maxRSS * 1024)
    },
  }
}
