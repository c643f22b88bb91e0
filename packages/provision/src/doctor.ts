import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isProblem } from '@lakehouse/kit'
import { errnoOf } from './errno.ts'
import { fsFailure, shellQuote } from './failure.ts'
import { DATA_DIR_SUBDIRS, PROBE_SUBDIR, SECRET_KEY_FILE } from './layout.ts'
import { checkWritable, probeWritable } from './probe.ts'
import { examineKey, octal } from './secret-key.ts'

export interface DoctorCheck {
  /** Stable id: `dir`, `subdir:<name>`, `writable`, `key:exists`, `key:mode`, `key:format`, `key:owner`. */
  readonly check: string
  readonly ok: boolean
  readonly detail: string
  readonly fix?: string
}

export interface DoctorReport {
  /** Absolute. */
  readonly dir: string
  /** True when every check passed. */
  readonly ok: boolean
  readonly checks: readonly DoctorCheck[]
}

export interface InspectOptions {
  /** The uid the key must belong to; defaults to the process's uid. */
  readonly uid?: number
}

function failed(check: string, err: unknown): DoctorCheck {
  // A check that cannot even run is a failed check carrying the coded error's detail: the
  // error is reported, not swallowed, and the other checks still run.
  if (isProblem(err)) {
    const fix = err.extensions?.fix
    return typeof fix === 'string' ? { check, ok: false, detail: err.detail, fix } : { check, ok: false, detail: err.detail }
  }
  return { check, ok: false, detail: err instanceof Error ? err.message : String(err) }
}

async function isDirectory(path: string, root: string): Promise<{ ok: boolean; detail: string }> {
  try {
    const st = await stat(path)
    return st.isDirectory()
      ? { ok: true, detail: `${path} is a directory` }
      : { ok: false, detail: `${path} exists but is not a directory` }
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return { ok: false, detail: `${path} does not exist` }
    throw fsFailure('cannot inspect', path, err, root)
  }
}

/**
 * The checks behind `lakehouse doctor`. Changes nothing, with one exception: the
 * writability probe creates, fsyncs and removes one file in `<dir>/tmp` (see probeWritable),
 * because only a real write proves a directory writable. Missing pieces are reported, never
 * created; a loose key mode is reported, never repaired.
 */
export async function inspectDataDir(dir: string, options: InspectOptions = {}): Promise<DoctorReport> {
  const root = resolve(dir)
  const provisionFix = `run \`lakehouse provision --data-dir ${shellQuote(root)}\``
  const checks: DoctorCheck[] = []
  const notChecked = (check: string, why: string) => checks.push({ check, ok: false, detail: `not checked: ${why}` })

  let rootOk = false
  try {
    const r = await isDirectory(root, root)
    rootOk = r.ok
    checks.push(r.ok ? { check: 'dir', ...r } : { check: 'dir', ...r, fix: provisionFix })
  } catch (err) {
    checks.push(failed('dir', err))
  }

  const subdirOk = new Map<string, boolean>()
  for (const sub of DATA_DIR_SUBDIRS) {
    const check = `subdir:${sub}`
    if (!rootOk) {
      notChecked(check, 'the data directory is not usable')
      continue
    }
    try {
      const r = await isDirectory(join(root, sub), root)
      subdirOk.set(sub, r.ok)
      checks.push(r.ok ? { check, ...r } : { check, ...r, fix: provisionFix })
    } catch (err) {
      checks.push(failed(check, err))
    }
  }

  if (!rootOk || subdirOk.get(PROBE_SUBDIR) !== true) {
    notChecked('writable', `the probe needs ${join(root, PROBE_SUBDIR)}`)
  } else {
    try {
      for (const sub of ['.', ...DATA_DIR_SUBDIRS.filter((s) => s !== PROBE_SUBDIR && subdirOk.get(s) === true)]) {
        await checkWritable(join(root, sub), root)
      }
      await probeWritable(join(root, PROBE_SUBDIR), root)
      checks.push({ check: 'writable', ok: true, detail: `wrote, fsynced and removed a probe in ${join(root, PROBE_SUBDIR)}` })
    } catch (err) {
      checks.push(failed('writable', err))
    }
  }

  await inspectKey(root, options.uid ?? process.getuid?.(), rootOk, provisionFix, checks)
  return Object.freeze({ dir: root, ok: checks.every((c) => c.ok), checks: Object.freeze(checks) })
}

async function inspectKey(root: string, uid: number | undefined, rootOk: boolean, provisionFix: string, checks: DoctorCheck[]) {
  const path = join(root, SECRET_KEY_FILE)
  const q = shellQuote(path)
  const skipKeyChecks = (why: string) => {
    for (const check of ['key:mode', 'key:format', 'key:owner']) checks.push({ check, ok: false, detail: `not checked: ${why}` })
  }
  if (!rootOk) {
    checks.push({ check: 'key:exists', ok: false, detail: 'not checked: the data directory is not usable' })
    return skipKeyChecks('the data directory is not usable')
  }
  let exam: Awaited<ReturnType<typeof examineKey>>
  try {
    exam = await examineKey(path, root)
  } catch (err) {
    checks.push(failed('key:exists', err))
    return skipKeyChecks('the key cannot be read')
  }
  if (exam.kind === 'missing') {
    checks.push({ check: 'key:exists', ok: false, detail: `${path} does not exist`, fix: provisionFix })
    return skipKeyChecks('the key is missing')
  }
  if (exam.kind === 'not-regular') {
    checks.push({
      check: 'key:exists',
      ok: false,
      detail: `${path} is ${exam.what}, not a regular file`,
      fix: `move ${q} aside, then ${provisionFix}`,
    })
    return skipKeyChecks('the key is not a regular file')
  }
  try {
    checks.push({ check: 'key:exists', ok: true, detail: `${path} is a regular file` })
    checks.push(
      exam.mode === 0o600
        ? { check: 'key:mode', ok: true, detail: 'mode 0600' }
        : {
            check: 'key:mode',
            ok: false,
            detail: `mode ${octal(exam.mode)}, expected 0600`,
            fix: `run \`chmod 600 ${q}\` (or ${provisionFix.slice(4)}, which repairs it)`,
          },
    )
    checks.push(
      exam.valid
        ? { check: 'key:format', ok: true, detail: '64 lowercase hex characters' }
        : {
            check: 'key:format',
            ok: false,
            detail: `does not hold 64 lowercase hex characters and an optional newline (${exam.size} bytes)`,
            fix: `move ${q} aside, then ${provisionFix} to create a new key (grants signed with the old one stop verifying)`,
          },
    )
    if (uid === undefined) checks.push({ check: 'key:owner', ok: true, detail: 'not checked: this platform has no uids' })
    else if (exam.uid === uid) checks.push({ check: 'key:owner', ok: true, detail: `owned by uid ${uid}` })
    else {
      checks.push({
        check: 'key:owner',
        ok: false,
        detail: `owned by uid ${exam.uid}, but this process runs as uid ${uid}`,
        fix: `run \`sudo chown ${uid} ${q}\`, or run as uid ${exam.uid}`,
      })
    }
  } finally {
    await exam.handle.close()
  }
}
