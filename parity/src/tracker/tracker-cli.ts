import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { displayPath } from '../display-path.ts'
import type { Tally } from '../model.ts'
import type { TrackerUpdate } from '../run/runner.ts'
import { trackerTemplate } from './tracker-init.ts'

/** `pnpm parity tracker init FILE`: never overwrites. */
export function trackerInit(args: readonly string[], cwd = process.cwd()): { code: number; out: string } {
  if (args[0] !== 'init' || args.length !== 2 || args[1] === undefined || args[1].startsWith('-')) {
    return { code: 2, out: `parity: usage: pnpm parity tracker init FILE\n` }
  }
  const file = resolve(cwd, args[1])
  const shown = displayPath(cwd, file)
  if (existsSync(file)) return { code: 2, out: `parity: ${shown} already exists; tracker init never overwrites a file\n` }
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, trackerTemplate())
  return { code: 0, out: `wrote ${shown}: an empty decisions tracker; use it with pnpm parity --tracker ${shown}\n` }
}

function tallyText(t: Tally): string {
  return `${t.cases} cases (${t.parity} parity, ${t.known} known, ${t.divergent} divergent, ${t.errors} errors)`
}

/** Exactly what a tracker update changed, and which summary rows it left alone and why. */
export function trackerMessage(t: TrackerUpdate, shown: string): string {
  const lines = [
    t.changed
      ? `tracker ${shown} updated: opened ${t.opened.length}, resolved ${t.resolved.length}, reopened ${t.reopened.length}, summary rows changed ${t.summary.length}`
      : `tracker ${shown} unchanged`,
  ]
  for (const c of t.summary)
    lines.push(`  summary ${c.component}: ${c.before === undefined ? 'new row' : tallyText(c.before)} → ${tallyText(c.after)}`)
  for (const k of t.summarySkipped) lines.push(`  summary ${k.component}: row kept (${k.reason})`)
  if (t.opened.length + t.reopened.length > 0) {
    lines.push(
      `  ${t.opened.length + t.reopened.length} row(s) now have status new: they fail every run until you set them to open or accepted in ${shown}`,
    )
  }
  return `${lines.join('\n')}\n`
}
