import { describe, expect, it } from 'vitest'
import { CSV_HEADER, generateWorkerRows, LIST_SEPARATOR, PLACES, ROLE_SPECS, ROLES, WORKER_COLUMNS, workerId } from '../src/index.ts'
import { type CsvField, readCsv } from './csv-reader.ts'
import { corpusText } from './helpers.ts'

const ROWS = 5_000
const text = await corpusText({ rows: ROWS, seed: 'generate-test' })
const [header, ...records] = readCsv(text)
const column = (name: (typeof WORKER_COLUMNS)[number]): number => WORKER_COLUMNS.indexOf(name)
const values = (name: (typeof WORKER_COLUMNS)[number]): string[] => records.map((r) => r[column(name)]?.value ?? '')

describe('generateWorkers', () => {
  it('starts with the header and yields exactly `rows` records', () => {
    expect(text.startsWith(CSV_HEADER)).toBe(true)
    expect(CSV_HEADER).toBe(
      'worker_id,name,email,phone,role,city,state,skills,certifications,years_experience,reliability_score,resume_text\n',
    )
    expect(header?.map((f) => f.value)).toEqual([...WORKER_COLUMNS])
    expect(records).toHaveLength(ROWS)
    expect(text.endsWith('\n')).toBe(true)
    expect(text.includes('\r')).toBe(false)
  })

  it('gives every record 12 fields under a strict RFC 4180 reader', () => {
    for (const record of records) expect(record).toHaveLength(12)
  })

  it('quotes a field exactly when it holds a comma, quote, CR or LF', () => {
    const all: CsvField[] = records.flat()
    for (const field of all) expect(field.quoted, field.value).toBe(/[",\r\n]/.test(field.value))
    // The raw text doubles embedded quotes, so the reader's unescaped values must contain some.
    expect(all.some((f) => f.value.includes('"'))).toBe(true)
    expect(text.includes('""')).toBe(true)
  })

  it('has unique, zero-padded, sorted worker ids', () => {
    const ids = values('worker_id')
    expect(ids[0]).toBe('W-000001')
    expect(ids.at(-1)).toBe('W-005000')
    expect(new Set(ids).size).toBe(ROWS)
    expect([...ids].sort()).toEqual(ids)
    expect(workerId(1, 2_000_000)).toBe('W-0000001')
  })

  it('derives a unique lowercase ASCII email from the name', () => {
    const emails = values('email')
    expect(new Set(emails).size).toBe(ROWS)
    records.forEach((record, i) => {
      const email = record[column('email')]?.value ?? ''
      const name = record[column('name')]?.value ?? ''
      expect(email).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/)
      const first = name
        .split(' ')[0]
        ?.toLowerCase()
        .replace(/[^a-z]/g, '')
      expect(email.startsWith(`${first}.`)).toBe(true)
      expect(email.endsWith(`${i + 1}@example.com`)).toBe(true)
    })
  })

  it('writes US phone numbers in three spellings, none shaped like an SSN', () => {
    const phones = values('phone')
    const shapes = {
      dashed: /^\d{3}-555-\d{4}$/,
      parens: /^\(\d{3}\) 555-\d{4}$/,
      plus: /^\+1 \d{3} 555 \d{4}$/,
    }
    for (const phone of phones) {
      expect(
        Object.values(shapes).some((re) => re.test(phone)),
        phone,
      ).toBe(true)
      expect(phone).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/)
    }
    for (const re of Object.values(shapes)) expect(phones.some((p) => re.test(p))).toBe(true)
    // No SSN shape anywhere in the file either: phones are 3-3-4, years and scores are short.
    expect(text).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/)
  })

  it('draws roles from ROLES by weight and never "dental hygienist"', () => {
    const roles = values('role')
    expect(new Set(roles)).toEqual(new Set(ROLES))
    expect(ROLES.length).toBeGreaterThanOrEqual(25)
    expect(text.toLowerCase()).not.toContain('dental hygienist')
    const share = (role: string) => roles.filter((r) => r === role).length / ROWS
    expect(share('warehouse associate')).toBeGreaterThan(share('CNC machinist') * 3)
  })

  it('pairs city and state from PLACES', () => {
    const pairs = new Set(PLACES.map((p) => `${p.city}|${p.state}`))
    for (const r of records) expect(pairs.has(`${r[column('city')]?.value}|${r[column('state')]?.value}`)).toBe(true)
    expect(PLACES.length).toBeGreaterThanOrEqual(40)
  })

  it('keeps skills and certifications role-appropriate and within their counts', () => {
    const specs = new Map(ROLE_SPECS.map((s) => [s.role, s]))
    for (const r of records) {
      const spec = specs.get(r[column('role')]?.value ?? '')
      const skills = (r[column('skills')]?.value ?? '').split(LIST_SEPARATOR)
      const certsText = r[column('certifications')]?.value ?? ''
      const certs = certsText === '' ? [] : certsText.split(LIST_SEPARATOR)
      expect(skills.length).toBeGreaterThanOrEqual(3)
      expect(skills.length).toBeLessThanOrEqual(6)
      expect(new Set(skills).size).toBe(skills.length)
      expect(certs.length).toBeLessThanOrEqual(3)
      for (const s of skills) expect(spec?.skills).toContain(s)
      for (const c of certs) expect(spec?.certifications).toContain(c)
    }
    expect(values('certifications').some((c) => c === '')).toBe(true)
  })

  it('formats years as integers 0–35 and reliability with two decimals in [0.50, 1.00]', () => {
    for (const y of values('years_experience')) {
      expect(y).toMatch(/^\d{1,2}$/)
      expect(Number(y)).toBeLessThanOrEqual(35)
    }
    const scores = values('reliability_score')
    for (const s of scores) {
      expect(s).toMatch(/^(0\.[5-9]\d|1\.00)$/)
    }
    expect(scores).toContain('1.00')
    expect(scores).toContain('0.50')
  })

  it('writes resumes of 2–4 sentences naming role, city and years, with commas, quotes and newlines', () => {
    const resumes = values('resume_text')
    const roles = values('role')
    const cities = values('city')
    resumes.forEach((resume, i) => {
      expect(resume).toContain(',')
      expect(resume.toLowerCase()).toContain((roles[i] ?? '').toLowerCase())
      expect(resume).toContain(cities[i] ?? '')
      const sentences = resume.replaceAll('St. Louis', 'St Louis').split(/(?<=[."])\s+(?=[A-Z])/).length
      expect(sentences).toBeGreaterThanOrEqual(2)
      expect(sentences).toBeLessThanOrEqual(4)
    })
    const withNewline = resumes.filter((r) => r.includes('\n')).length / ROWS
    const withQuote = resumes.filter((r) => r.includes('"')).length / ROWS
    expect(withNewline).toBeGreaterThan(0.15)
    expect(withNewline).toBeLessThan(0.25)
    expect(withQuote).toBeGreaterThan(0.12)
    expect(withQuote).toBeLessThan(0.21)
  })

  it('writes only the header for 0 rows', async () => {
    expect(await corpusText({ rows: 0, seed: 'x' })).toBe(CSV_HEADER)
  })

  it('rejects a bad row count with CONFIG_INVALID at call time', () => {
    for (const rows of [-1, 1.5, Number.NaN, 10_000_001]) {
      expect(() => generateWorkerRows({ rows, seed: 'x' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    }
    expect(() => generateWorkerRows({ rows: 1, seed: 0.5 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})

describe('generateWorkerRows', () => {
  it('yields the rows the CSV encodes, a shorter corpus being a prefix of a longer one', () => {
    const short = [...generateWorkerRows({ rows: 50, seed: 'prefix' })]
    const long = [...generateWorkerRows({ rows: 500, seed: 'prefix' })].slice(0, 50)
    expect(long).toEqual(short)
    expect(short[0]?.reliability_score).toBeGreaterThanOrEqual(0.5)
  })
})
