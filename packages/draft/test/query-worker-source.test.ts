import { queryErrors } from '@lakehouse/query'
// The query package's own fixture builder (Parquet via an unrestricted DuckDB, a fake catalog
// and store). Imported by path: @duckdb/node-api is not a dependency of this package.
import { type Sandbox, sandbox } from '@lakehouse/query/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDraftService, createQueryWorkerSource, DRAFT_MOUNT, toWorkerProfile, type WorkerQuery } from '../src/index.ts'
import { expectProblem, FULL_JOB, generateWorkerRows, post, realValidator } from './helpers.ts'

const rows = [...generateWorkerRows({ rows: 50, seed: 'draft-query' })]
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`

/** The workers as the ingest of the corpus CSV would type them: text, BIGINT years, DOUBLE score, `; `-joined lists. */
const WORKERS_SELECT = `SELECT * FROM (VALUES ${rows
  .map(
    (r) =>
      `(${[r.worker_id, r.name, r.email, r.phone, r.role, r.city, r.state, r.skills.join('; '), r.certifications.join('; ')].map(literal).join(', ')}, ` +
      `${r.years_experience}::BIGINT, ${r.reliability_score}::DOUBLE, ${literal(r.resume_text)})`,
  )
  .join(
    ', ',
  )}) AS t(worker_id, name, email, phone, role, city, state, skills, certifications, years_experience, reliability_score, resume_text)`

describe('createQueryWorkerSource over a real QueryService', () => {
  let box: Sandbox
  let query: Awaited<ReturnType<Sandbox['service']>>

  beforeAll(async () => {
    box = await sandbox()
    await box.addDataset('workers', WORKERS_SELECT)
    await box.addDataset(
      'numeric_ids',
      "SELECT * FROM (VALUES (7::BIGINT, 'Ann Lee', 'ann@example.com', '312-555-0101', 'welder', 'Chicago', 'IL', 'MIG welding', '', NULL)) AS t(worker_id, name, email, phone, role, city, state, skills, certifications, years_experience)",
    )
    await box.addDataset('no_certs', "SELECT 'W-1' AS worker_id, 'Bo' AS name")
    query = await box.service()
  })
  afterAll(async () => {
    await box.cleanup()
  })

  it('finds every worker with one parameterised SELECT and normalises the row', async () => {
    const source = createQueryWorkerSource(query)
    for (const row of rows) expect(await source.get(row.worker_id)).toEqual(toWorkerProfile(row))
    expect((await source.get(rows[0]?.worker_id ?? ''))?.skills).toEqual(rows[0]?.skills)
  })

  it('answers undefined for an unknown id, and for an id that looks like SQL', async () => {
    const source = createQueryWorkerSource(query)
    expect(await source.get('W-999999')).toBeUndefined()
    expect(await source.get("' OR 1=1 --")).toBeUndefined()
  })

  it('matches ids stored as BIGINT by their text, and reads NULL years as null', async () => {
    const worker = await createQueryWorkerSource(query, 'numeric_ids').get('7')
    expect(worker).toMatchObject({ worker_id: '7', name: 'Ann Lee', skills: ['MIG welding'], certifications: [], years_experience: null })
  })

  it('answers undefined while the dataset does not exist', async () => {
    expect(await createQueryWorkerSource(query, 'not_ingested_yet').get('W-000001')).toBeUndefined()
  })

  it('rethrows when the dataset exists but lacks the columns drafts need', async () => {
    await expect(createQueryWorkerSource(query, 'no_certs').get('W-1')).rejects.toMatchObject({ code: 'QUERY_INVALID' })
  })

  it('serves the draft routes end to end', async () => {
    const draft = createDraftService({}, { workers: createQueryWorkerSource(query), validator: realValidator() })
    const row = rows[3]
    if (row === undefined) throw new Error('fixture has rows')
    const email = await post(draft, `${DRAFT_MOUNT}/email`, { worker_id: row.worker_id, job: FULL_JOB })
    expect(email.status, email.text).toBe(200)
    expect(email.body.draft.to).toBe(row.email)
    const sms = await post(draft, `${DRAFT_MOUNT}/sms`, { worker_id: row.worker_id, job: FULL_JOB })
    expect(sms.body.draft.to).toBe(row.phone)
    expectProblem(await post(draft, `${DRAFT_MOUNT}/sms`, { worker_id: 'W-404', job: FULL_JOB }), 404, 'DRAFT_WORKER_NOT_FOUND')
  })
})

describe('createQueryWorkerSource error handling', () => {
  it('rethrows anything but QUERY_INVALID without a second query', async () => {
    const calls: string[] = []
    const failing: WorkerQuery = {
      async select(sql) {
        calls.push(sql)
        throw queryErrors.problem('QUERY_TIMEOUT')
      },
    }
    await expect(createQueryWorkerSource(failing).get('W-1')).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' })
    expect(calls).toHaveLength(1)
    expect(calls[0]).toBe(
      'SELECT worker_id, name, email, phone, role, city, state, skills, certifications, years_experience FROM "workers" WHERE CAST(worker_id AS VARCHAR) = $id LIMIT 1',
    )
  })

  it('quotes the dataset name as an identifier', async () => {
    const calls: string[] = []
    const q: WorkerQuery = {
      async select(sql) {
        calls.push(sql)
        return { columns: [], rows: [] }
      },
    }
    expect(await createQueryWorkerSource(q, 'we"ird').get('x')).toBeUndefined()
    expect(calls[0]).toContain('FROM "we""ird" WHERE')
  })
})
