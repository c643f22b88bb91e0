import { jsonRequest } from '@lakehouse/kit/testing'
import type { ItemInput } from '@lakehouse/vector'
import { createMatrixService, type MatrixConfig, type MatrixService } from '../src/index.ts'
import { createFakeEmbedder, type FakeEmbedder } from './fakes.ts'
import { createTestIndexes, type TestIndexes } from './vector-indexes.ts'

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
export type Json = any

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Json
}

export async function send(svc: MatrixService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : JSON.parse(text) }
}

export const search = (svc: MatrixService, body: unknown) => send(svc, jsonRequest('POST', '/v1/matrix/search', body))
export const record = (svc: MatrixService, body: unknown) => send(svc, jsonRequest('POST', '/v1/matrix/playbooks/record', body))

export interface Worker {
  readonly id: string
  readonly role: string
  readonly city: string
  readonly state: string
  readonly skills: readonly string[]
  readonly certifications: readonly string[]
}

const ROLES: readonly { role: string; skills: string[]; certs: string[] }[] = [
  { role: 'electrician', skills: ['industrial wiring', 'conduit bending', 'panel upgrades'], certs: ['OSHA-30', 'NFPA 70E'] },
  { role: 'forklift operator', skills: ['pallet jack', 'inventory', 'loading docks'], certs: ['Forklift Certified', 'OSHA-10'] },
  { role: 'warehouse associate', skills: ['picking', 'packing', 'inventory'], certs: ['OSHA-10', 'OSHA-30'] },
  { role: 'welder', skills: ['mig welding', 'tig welding', 'blueprints'], certs: ['AWS Certified Welder'] },
  { role: 'line cook', skills: ['grill', 'prep', 'sauces'], certs: ['ServSafe Food Handler'] },
  { role: 'registered nurse', skills: ['triage', 'charting', 'medication administration'], certs: ['RN License', 'BLS'] },
]
const PLACES = [
  ['Chicago', 'IL'],
  ['St. Louis', 'MO'],
  ['Dallas', 'TX'],
  ['Phoenix', 'AZ'],
] as const

/** 48 workers: 8 per role, spread over four cities, with certifications varying by position. */
export function fixtureWorkers(): Worker[] {
  const out: Worker[] = []
  let n = 0
  for (const spec of ROLES) {
    for (let i = 0; i < 8; i++) {
      n++
      const [city, state] = PLACES[i % PLACES.length] ?? PLACES[0]
      out.push({
        id: `W-${String(n).padStart(3, '0')}`,
        role: spec.role,
        city,
        state,
        skills: spec.skills.slice(0, 1 + (i % spec.skills.length)),
        certifications: spec.certs.slice(0, i % (spec.certs.length + 1)),
      })
    }
  }
  return out
}

export function workerItem(w: Worker): ItemInput {
  return {
    id: w.id,
    text: [w.role, ...w.skills, ...w.certifications].join(' '),
    metadata: { role: w.role, city: w.city, state: w.state, certifications: [...w.certifications] },
  }
}

export interface Clock {
  now: () => Date
  advance(ms: number): void
}

export function createClock(start = Date.parse('2026-01-01T00:00:00.000Z')): Clock {
  let t = start
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms
    },
  }
}

export interface Setup {
  readonly svc: MatrixService
  readonly indexes: TestIndexes
  readonly embedder: FakeEmbedder
  readonly clock: Clock
  readonly workers: readonly Worker[]
}

/** A `workers` corpus of the fixture workers in the real vector service, behind a matrix service. */
export async function setup(config: Partial<MatrixConfig> = {}, workers: readonly Worker[] = fixtureWorkers()): Promise<Setup> {
  const embedder = createFakeEmbedder()
  const indexes = await createTestIndexes(embedder)
  await indexes.create({ name: 'workers', dim: 256, metric: 'cos', model: embedder.defaultModel })
  await indexes.add('workers', workers.map(workerItem))
  const clock = createClock()
  const svc = await createMatrixService(config, { indexes, embedder, now: clock.now })
  embedder.calls.length = 0
  return { svc, indexes, embedder, clock, workers }
}

export function ids(body: Json): string[] {
  return (body.results as { id: string }[]).map((r) => r.id)
}
