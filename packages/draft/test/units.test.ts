import { isProblem } from '@lakehouse/kit'
import { measureSms } from '@lakehouse/validator'
import { describe, expect, it } from 'vitest'
import { normalizePunctuation, toGsmText } from '../src/gsm-text.ts'
import {
  composeSms,
  createDraftService,
  createInMemoryWorkerSource,
  DROP_ORDER,
  draftDefaults,
  extractPromptFacts,
  formatPay,
  formatStart,
  outreachFacts,
  resolveDraftConfig,
  toWorkerProfile,
} from '../src/index.ts'
import { mostRelevant } from '../src/outreach-facts.ts'
import { article, fitWithin, joinList } from '../src/text.ts'
import { FULL_JOB, MARIA, realValidator } from './helpers.ts'

describe('text helpers', () => {
  it('picks a/an by spelling and acronym sound', () => {
    const cases = {
      'forklift operator': 'a',
      electrician: 'an',
      'HVAC technician': 'an',
      'CNC machinist': 'a',
      RN: 'an',
      'CDL truck driver': 'a',
      'industrial electrician': 'an',
    }
    for (const [word, expected] of Object.entries(cases)) expect([word, article(word)]).toEqual([word, expected])
  })

  it('joins lists without a serial comma', () => {
    expect([joinList([]), joinList(['a']), joinList(['a', 'b']), joinList(['a', 'b', 'c'])]).toEqual(['', 'a', 'a and b', 'a, b and c'])
  })

  it('cuts at a word boundary and appends an ellipsis', () => {
    const len = (s: string) => s.length
    expect(fitWithin('short', 10, len)).toBe('short')
    expect(fitWithin('Consolidated Regional Distribution', 20, len)).toBe('Consolidated...')
    expect(fitWithin('Supercalifragilistic', 10, len)).toBe('Superca...')
    expect(fitWithin('abcdef', 2, len)).toBe('ab')
  })
})

describe('job details', () => {
  it('renders ISO dates from the date alone, and anything else as written', () => {
    expect(formatStart('2025-03-03')).toEqual({ long: 'Monday, March 3, 2025', short: 'Mon Mar 3' })
    expect(formatStart('2024-02-29')).toEqual({ long: 'Thursday, February 29, 2024', short: 'Thu Feb 29' })
    expect(formatStart('2025-02-29').long).toBe('2025-02-29')
    expect(formatStart('0099-01-01').long).toBe('0099-01-01')
    expect(formatStart(' next\n Monday ').long).toBe('next Monday')
    expect(formatStart('2025-03-03T07:00:00Z').long).toBe('2025-03-03T07:00:00Z')
  })

  it('renders a number pay rate as dollars per hour', () => {
    expect([formatPay(19), formatPay(19.5), formatPay(19.125), formatPay('$20 DOE'), formatPay(undefined)]).toEqual([
      '$19/hr',
      '$19.50/hr',
      '$19.13/hr',
      '$20 DOE',
      '',
    ])
  })

  it('ranks skills by words shared with the job title and shift, stable otherwise', () => {
    const skills = ['RF scanning', 'order picking', 'sit-down forklift', 'dock operations', 'forklifts and reach trucks']
    expect(mostRelevant(skills, 'forklift operator night', 3)).toEqual(['sit-down forklift', 'forklifts and reach trucks', 'RF scanning'])
    expect(mostRelevant(['a', ' ', 'b'], 'x', 5)).toEqual(['a', 'b'])
  })
})

describe('GSM-7 text', () => {
  it('maps punctuation and accents and drops what has no GSM spelling', () => {
    expect(toGsmText('\u201cIt\u2019s\u201d \u2014 caf\u00e9 S\u00e3o \u00c5se \u0141\u00f3d\u017a \u{1F600} \u20ac5 \u2026')).toBe(
      '"It\'s" - café Sao Åse odz  €5 ...',
    )
    expect(normalizePunctuation('It\u2019s \u{1F600}')).toBe("It's \u{1F600}")
  })

  it('drops optional SMS parts in the documented order', () => {
    expect(DROP_ORDER).toEqual(['fit', 'signature', 'shift', 'city', 'call', 'pay'])
    const facts = outreachFacts(toWorkerProfile(MARIA), FULL_JOB)
    const full = composeSms(facts, 1000)
    expect(full).toBe(
      'Hi Maria, forklift operator at Acme Logistics DC-4, Dallas, starts Mon Mar 3, 6am-2:30pm, $19.50/hr. Your sit-down forklift experience fits. Reply YES if interested or call 214-555-0100. -Dana Reyes',
    )
    expect(composeSms(facts, 150)).toBe(
      'Hi Maria, forklift operator at Acme Logistics DC-4, Dallas, starts Mon Mar 3, 6am-2:30pm, $19.50/hr. Reply YES if interested or call 214-555-0100.',
    )
    expect(composeSms(facts, 130)).toBe(
      'Hi Maria, forklift operator at Acme Logistics DC-4, starts Mon Mar 3, $19.50/hr. Reply YES if interested or call 214-555-0100.',
    )
    expect(composeSms(facts, 115)).toBe(
      'Hi Maria, forklift operator at Acme Logistics DC-4, starts Mon Mar 3, $19.50/hr. Reply YES if interested.',
    )
    expect(composeSms(facts, 100)).toBe('Hi Maria, forklift operator at Acme Logistics DC-4, starts Mon Mar 3. Reply YES if interested.')
    // Past every optional part the required fields shorten to their floors, then a hard cut holds the limit.
    expect(composeSms(facts, 80)).toBe('Hi Maria, forklift... at Acme Logi..., starts Mon Mar 3. Reply YES if...')
  })

  it('stays within 160 GSM-7 septets for hostile input (seeded fuzz)', () => {
    let seed = 0x9e3779b9
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
      return seed / 2 ** 32
    }
    const alphabet = [
      'a',
      'Z',
      ' ',
      ' ',
      '-',
      '\u00e9',
      '\u00e3',
      '{',
      '}',
      '[',
      '~',
      '\u20ac',
      '\u2019',
      '\u2014',
      '\u{1F600}',
      '\u4e2d',
      '\n',
      '\t',
      '.',
      ',',
    ]
    const text = (max: number) =>
      Array.from({ length: Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('')
    for (let i = 0; i < 500; i++) {
      const worker = toWorkerProfile({ ...MARIA, name: text(60), role: text(40), skills: [text(80)] })
      const job = {
        title: text(200) || 'x',
        site: text(200) || 'y',
        start: text(100) || 'z',
        city: text(80),
        shift: text(80),
        pay_rate: text(60),
        contact_name: text(60),
        contact_phone: text(30),
      }
      const body = composeSms(outreachFacts(worker, job))
      const m = measureSms(body)
      expect([m.encoding, m.length <= 160], body).toEqual(['GSM-7', true])
      expect(body).toContain('Reply YES if interested')
    }
  })
})

describe('prompt facts', () => {
  it('reads the running text', () => {
    const f = extractPromptFacts(
      'Please draft an email to Maria about a night shift forklift operator job at Acme Logistics in Fort Worth starting Monday, March 3. ' +
        'Pay is $19.50 per hour; she has 7 years. Sign it as Dana Reyes and ask her to call (817) 555-0100.',
    )
    expect(f).toMatchObject({
      name: 'Maria',
      title: 'forklift operator',
      shift: 'night shift',
      site: 'Acme Logistics',
      city: 'Fort Worth',
      start: 'Monday',
      pay: '$19.50 per hour',
      years: 7,
      contactName: 'Dana Reyes',
      contactPhone: '(817) 555-0100',
    })
  })

  it('prefers key: value lines and ignores months as cities', () => {
    const f = extractPromptFacts(
      'Write a text for a welder role starting in March\nTitle: pipe welder\nskills: TIG welding, MIG welding\nChannel: SMS\nyears: 12+',
    )
    expect(f).toMatchObject({
      title: 'pipe welder',
      city: '',
      start: 'in March',
      skills: ['TIG welding', 'MIG welding'],
      channel: 'sms',
      years: 12,
    })
  })
})

describe('worker profiles', () => {
  it('normalises rows from DuckDB and from memory alike', () => {
    expect(toWorkerProfile({ worker_id: 7n, name: ' Ann  ', skills: 'a; ;b;', certifications: null, years_experience: 3n })).toEqual({
      worker_id: '7',
      name: 'Ann',
      email: '',
      phone: '',
      role: '',
      city: '',
      state: '',
      skills: ['a', 'b'],
      certifications: [],
      years_experience: 3,
    })
    expect(toWorkerProfile({ skills: ['x', ''], years_experience: '4' })).toMatchObject({ skills: ['x'], years_experience: 4 })
    expect(toWorkerProfile({ years_experience: -1 }).years_experience).toBeNull()
  })

  it('keeps the last row of a duplicated id in memory', async () => {
    const source = createInMemoryWorkerSource([
      { worker_id: 'a', name: 'First' },
      { worker_id: 'a', name: 'Second' },
    ])
    expect((await source.get('a'))?.name).toBe('Second')
  })
})

describe('config', () => {
  it('has frozen defaults and resolves partial input', () => {
    expect(Object.isFrozen(draftDefaults)).toBe(true)
    expect(resolveDraftConfig({ maxMessages: 5 })).toEqual({ ...draftDefaults, maxMessages: 5 })
  })

  it.each([
    [{ maxBodyBytes: 10 }, 'draft.maxBodyBytes'],
    [{ providerTemperature: 3 }, 'draft.providerTemperature'],
    [{ defaultModel: 'template' }, 'draft.defaultModel'],
  ])('refuses %j at boot', (input, key) => {
    try {
      resolveDraftConfig(input)
      expect.unreachable()
    } catch (err) {
      expect(isProblem(err) && err.code === 'CONFIG_INVALID' && err.extensions?.key).toBe(key)
    }
  })

  it('refuses a default model with no route at create time', () => {
    const deps = { workers: createInMemoryWorkerSource([]), validator: realValidator() }
    expect(() => createDraftService({ defaultModel: 'ollama/llama3' }, deps)).toThrow(
      /draft.defaultModel: model "ollama\/llama3" needs the ollama provider/,
    )
  })
})
