import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createInMemoryWorkerSource, DRAFT_MOUNT, DRAFT_MOUNT_CHAT } from '../src/index.ts'
import { FULL_JOB, generateWorkerRows, JOBS, MARIA, post, setup } from './helpers.ts'

/**
 * The local drafter depends only on its input: no clock, no randomness, no Intl. Node and Bun
 * run this same file, so the literals below are what makes "byte-identical on both runtimes"
 * a tested property.
 */
describe('determinism of the local drafter', () => {
  const { draft } = setup()

  it('answers the same request with the same bytes, twice and across services', async () => {
    const other = setup().draft
    for (const path of [`${DRAFT_MOUNT}/email`, `${DRAFT_MOUNT}/sms`]) {
      const request = { worker_id: MARIA.worker_id, job: FULL_JOB }
      const a = await post(draft, path, request)
      const b = await post(draft, path, request)
      const c = await post(other, path, request)
      expect(b.text).toBe(a.text)
      expect(c.text).toBe(a.text)
    }
  })

  it('pins the exact email response', async () => {
    const r = await post(draft, `${DRAFT_MOUNT}/email`, { worker_id: MARIA.worker_id, job: FULL_JOB })
    expect(r.text).toBe(
      '{"worker_id":"W-000042","model":"local/template","draft":{"to":"maria.garcia42@example.com",' +
        '"subject":"Forklift operator at Acme Logistics DC-4, starting Mon Mar 3","body":"Hi Maria,\\n\\n' +
        'We have a forklift operator opening at Acme Logistics DC-4 in Dallas, starting Monday, March 3, 2025, and we thought of you. ' +
        'Your 7 years of experience as a forklift operator stood out to us. The job is right in Dallas, where you are based. ' +
        'Your skills in sit-down forklift, RF scanning and dock operations are a great match for this role. ' +
        'Your credentials (Forklift Certified and OSHA-10) are a plus here.\\n\\n' +
        'Here are the details:\\n- Position: forklift operator\\n- Location: Acme Logistics DC-4, Dallas\\n' +
        '- Start: Monday, March 3, 2025\\n- Shift: 6am-2:30pm\\n- Pay: $19.50/hr\\n\\n' +
        'If you are interested, reply to this email or call Dana Reyes at 214-555-0100 and we will confirm the details. ' +
        'If the timing does not work for you, just let us know and we will keep you in mind for future openings.\\n\\n' +
        'Thank you,\\nDana Reyes"},"validation":{"valid":true,"warnings":[]}}',
    )
  })

  it('pins the exact chat response', async () => {
    const r = await post(draft, DRAFT_MOUNT_CHAT, {
      model: 'local/template',
      messages: [{ role: 'user', content: 'Text Wei about a CNC machinist job at Precision Parts in Phoenix starting 2025-04-07, $27/hr' }],
    })
    expect(r.text).toBe(
      '{"model":"local/template","message":{"role":"assistant","content":"Hi Wei, CNC machinist at Precision Parts, Phoenix, starts Mon Apr 7, $27/hr. Reply YES if interested."}}',
    )
  })

  it('pins a digest of every draft for 1,000 generated workers and four jobs', async () => {
    const rows = [...generateWorkerRows({ rows: 1000, seed: 'draft' })]
    const { draft: d } = setup({ workers: createInMemoryWorkerSource(rows) })
    const hash = createHash('sha256')
    for (const job of Object.values(JOBS)) {
      for (const row of rows) {
        const e = await d.draftEmail({ worker_id: row.worker_id, job })
        const s = await d.draftSms({ worker_id: row.worker_id, job })
        hash.update(`${e.draft.subject}\u001f${e.draft.body}\u001e${s.draft.body}\u001e`)
      }
    }
    expect(hash.digest('hex')).toBe('0cd98529573011b6710e03ce1ea62dda35b61d4a36e2f06c3191a2465fd1f565')
  })
})
