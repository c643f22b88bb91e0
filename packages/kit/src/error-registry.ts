import { type ErrorSpec, Problem, type ProblemInit } from './problem.ts'

/**
 * Each component declares its codes once; `registry.problem(code, …)` is then the only way
 * to build a Problem, so a typo in a code is a type error and `docs/errors.md` can be checked
 * against the union of all registries.
 */
export interface ErrorRegistry<C extends string> {
  readonly component: string
  readonly specs: Readonly<Record<C, ErrorSpec & { readonly description: string }>>
  problem(code: C, init?: ProblemInit): Problem
}

const CODE_PATTERN = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^INTERNAL$/

export function defineErrors<C extends string>(component: string, specs: Record<C, ErrorSpec & { description: string }>): ErrorRegistry<C> {
  for (const [code, spec] of Object.entries<ErrorSpec>(specs)) {
    if (!CODE_PATTERN.test(code)) throw new TypeError(`error code ${code} is not SCREAMING_SNAKE`)
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
      throw new TypeError(`error code ${code} has status ${spec.status}, expected 4xx or 5xx`)
    }
  }
  const frozen = Object.freeze({ ...specs })
  return Object.freeze({
    component,
    specs: frozen,
    problem(code: C, init?: ProblemInit) {
      return new Problem(code, frozen[code], init)
    },
  })
}

export interface ErrorRow {
  readonly component: string
  readonly code: string
  readonly status: number
  readonly title: string
  readonly description: string
}

/** Flattens registries into rows sorted by component then code; throws on a code defined twice. */
export function errorRows(registries: readonly ErrorRegistry<string>[]): ErrorRow[] {
  const seen = new Map<string, string>()
  const rows: ErrorRow[] = []
  for (const reg of registries) {
    for (const [code, spec] of Object.entries(reg.specs)) {
      const owner = seen.get(code)
      if (owner !== undefined) throw new TypeError(`error code ${code} defined by both ${owner} and ${reg.component}`)
      seen.set(code, reg.component)
      rows.push({ component: reg.component, code, ...spec })
    }
  }
  return rows.sort((a, b) => a.component.localeCompare(b.component) || a.code.localeCompare(b.code))
}

export const ERRORS_TABLE_BEGIN = '<!-- errors:begin (generated from the registries; edit the code, then run `pnpm docs:errors`) -->'
export const ERRORS_TABLE_END = '<!-- errors:end -->'

/** The generated block of docs/errors.md, markers included. */
export function renderErrorsTable(rows: readonly ErrorRow[]): string {
  const lines = [ERRORS_TABLE_BEGIN, '', '| component | code | status | title | when |', '|---|---|---|---|---|']
  for (const r of rows) {
    lines.push(`| ${r.component} | \`${r.code}\` | ${r.status} | ${r.title} | ${r.description.replaceAll('|', '\\|')} |`)
  }
  lines.push('', ERRORS_TABLE_END)
  return lines.join('\n')
}

/** Replaces the generated block inside `doc`; hand-written text around it is kept. */
export function replaceErrorsTable(doc: string, rows: readonly ErrorRow[]): string {
  const start = doc.indexOf(ERRORS_TABLE_BEGIN)
  const end = doc.indexOf(ERRORS_TABLE_END)
  if (start < 0 || end < start) throw new Error('docs/errors.md has lost its errors:begin/errors:end markers')
  return doc.slice(0, start) + renderErrorsTable(rows) + doc.slice(end + ERRORS_TABLE_END.length)
}
