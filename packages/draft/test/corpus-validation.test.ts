import { measureSms } from '@lakehouse/validator'
import { describe, expect, it } from 'vitest'
import { createInMemoryWorkerSource, DRAFT_MOUNT, type JobSpec } from '../src/index.ts'
import { generateWorkerRows, JOBS, post, setup } from './helpers.ts'

/**
 * The guarantee behind the load mix's cold_search_email and sms_validate scenarios: whatever
 * worker the search returns, the local drafter's email and SMS pass the real validator —
 * without warnings, so no draft silently falls back to UCS-2 or a long subject.
 */
describe('local drafts of 1,000 generated workers', () => {
  const rows = [...generateWorkerRows({ rows: 1000, seed: 'draft' })]
  const { draft, validator } = setup({ workers: createInMemoryWorkerSource(rows) })

  it.each(Object.entries(JOBS))('pass the validator for every worker with %s', async (_name, job: JobSpec) => {
    let longestSms = 0
    for (const row of rows) {
      const email = await draft.draftEmail({ worker_id: row.worker_id, job })
      const sms = await draft.draftSms({ worker_id: row.worker_id, job })
      // The service validated already; check again independently, with the validator's own verdict.
      const e = await validator.validate('email', email.draft)
      const s = await validator.validate('sms', sms.draft)
      expect([e.valid, e.errors, e.warnings], `${row.worker_id} email`).toEqual([true, [], []])
      expect([s.valid, s.errors, s.warnings], `${row.worker_id} sms`).toEqual([true, [], []])
      expect(email.draft.to).toBe(row.email)
      expect(sms.draft.to).toBe(row.phone)
      const first = row.name.split(' ')[0] ?? ''
      expect(email.draft.body.startsWith(`Hi ${first},\n\n`)).toBe(true)
      expect(sms.draft.body.startsWith(`Hi ${first},`)).toBe(true)
      expect(email.draft.body).toContain(row.role)
      const m = measureSms(sms.draft.body)
      expect(m.encoding).toBe('GSM-7')
      longestSms = Math.max(longestSms, m.length)
    }
    expect(longestSms).toBeLessThanOrEqual(160)
  })

  it('mentions a skill or credential the worker has in every email', async () => {
    for (const row of rows.slice(0, 200)) {
      const { draft: d } = await draft.draftEmail({ worker_id: row.worker_id, job: JOBS.FULL_JOB ?? { title: '', site: '', start: '' } })
      const mentioned = [...row.skills, ...row.certifications].filter((x) => d.body.includes(x))
      expect(mentioned.length, row.worker_id).toBeGreaterThan(0)
    }
  })

  it('answers 200 through the handler for a sample of workers', async () => {
    for (const row of rows.filter((_, i) => i % 50 === 0)) {
      for (const kind of ['email', 'sms']) {
        const r = await post(draft, `${DRAFT_MOUNT}/${kind}`, { worker_id: row.worker_id, job: JOBS.LONG_JOB })
        expect(r.status, r.text).toBe(200)
        expect(r.body.validation).toEqual({ valid: true, warnings: [] })
      }
    }
  })
})
