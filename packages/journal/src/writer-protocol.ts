/**
 * The stdout protocol of a journal writer process (writer-process.ts), one line each, written
 * synchronously so a parent that SIGKILLs the writer has seen every acknowledgement given:
 *   ready <pid>            the journal is open and the writer waits for --start-file
 *   ack <seq> <id> <i>     record i (0-based) is durable (written + fsynced) with that seq
 *   stats <json>           appended, commits, lock wait and elapsed time of this process
 *   done <id> <count>      every append was acknowledged
 *   locked <pid>           (--hold-lock-ms) the kernel lock is held
 *   stamped <identity>     (--stamp-owner) the lock file carries the forged identity
 * The writer prints with `formatWriterLine`; the processes that spawn writers (the failure
 * tests, `doctor collide`) read with `parseWriterLine`.
 */

/** What the `stats` line reports. */
export interface WriterStats {
  readonly appended: number
  readonly commits: number
  readonly lock_wait_ms: number
  readonly lock_wait_max_ms: number
  readonly append_ms: number
  readonly elapsed_ms: number
}

/** Record `i` of writer `writer` is durable with `seq`. */
export interface WriterAck {
  readonly seq: number
  readonly writer: string
  readonly i: number
}

export type WriterLine =
  | { readonly word: 'ready'; readonly pid: number }
  | ({ readonly word: 'ack' } & WriterAck)
  | { readonly word: 'stats'; readonly stats: WriterStats }
  | { readonly word: 'done'; readonly writer: string; readonly count: number }
  | { readonly word: 'locked'; readonly pid: number }
  | { readonly word: 'stamped'; readonly identity: string }

/** The line for `line`, newline included. */
export function formatWriterLine(line: WriterLine): string {
  switch (line.word) {
    case 'ready':
    case 'locked':
      return `${line.word} ${line.pid}\n`
    case 'ack':
      return `ack ${line.seq} ${line.writer} ${line.i}\n`
    case 'stats':
      return `stats ${JSON.stringify(line.stats)}\n`
    case 'done':
      return `done ${line.writer} ${line.count}\n`
    case 'stamped':
      return `stamped ${line.identity}\n`
  }
}

const int = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined)

/** One stdout line (without its newline) of a writer, or undefined when it is not a protocol line. */
export function parseWriterLine(text: string): WriterLine | undefined {
  const space = text.indexOf(' ')
  const word = space < 0 ? text : text.slice(0, space)
  const rest = space < 0 ? '' : text.slice(space + 1)
  const parts = rest.split(' ')
  switch (word) {
    case 'ready':
    case 'locked': {
      const pid = int(rest)
      return pid === undefined ? undefined : { word, pid }
    }
    case 'ack': {
      const [seq, writer, i] = [int(parts[0]), parts[1], int(parts[2])]
      return parts.length === 3 && seq !== undefined && writer !== undefined && i !== undefined ? { word, seq, writer, i } : undefined
    }
    case 'stats':
      try {
        return { word, stats: JSON.parse(rest) as WriterStats }
      } catch {
        return undefined
      }
    case 'done': {
      const [writer, count] = [parts[0], int(parts[1])]
      return parts.length === 2 && writer !== undefined && count !== undefined ? { word, writer, count } : undefined
    }
    case 'stamped':
      return rest === '' ? undefined : { word, identity: rest }
    default:
      return undefined
  }
}

/**
 * Splits a child's stdout chunks into lines for `onLine`: `push` each chunk, `end` when the
 * stream closes (a last line without its newline still counts, e.g. after a SIGKILL).
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let partial = ''
  return {
    push(chunk) {
      partial += chunk
      const lines = partial.split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) onLine(line)
    },
    end() {
      if (partial !== '') onLine(partial)
      partial = ''
    },
  }
}
