import { describe, expect, it } from 'vitest'
import { renderJunitXml } from '../../src/report/index.ts'
import { xmlAttr, xmlText } from '../../src/report/xml-escape.ts'
import { buildReport } from './fixture-report.ts'

/**
 * A small well-formedness check (no XML parser in the dependency set): balanced tags,
 * quoted attributes, only the five predefined entities or numeric references, and no
 * character XML 1.0 forbids.
 */
function assertWellFormed(xml: string): void {
  expect(xml).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u)
  const body = xml.replace(/^<\?xml[^?]*\?>\n/, '')
  const stack: string[] = []
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g
  for (const m of body.matchAll(token)) {
    if (m[6] !== undefined) throw new Error(`stray < at ${m.index}: ${body.slice(m.index ?? 0, (m.index ?? 0) + 40)}`)
    const text = m[5] ?? ''
    const attrs = m[3] ?? ''
    for (const amp of `${text}${attrs}`.matchAll(/&([^;]*);?/g)) {
      expect(amp[0], `entity at ${m.index}`).toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/)
    }
    if (m[2] === undefined) continue
    if (m[1] === '/') expect(stack.pop()).toBe(m[2])
    else if (m[4] !== '/') stack.push(m[2])
  }
  expect(stack).toEqual([])
}

describe('renderJunitXml', () => {
  const xml = renderJunitXml(buildReport())

  it('is well-formed XML', () => {
    assertWellFormed(xml)
  })

  it('has one testsuite per component and one testcase per case, timed by the baseline', () => {
    expect(xml).toContain('<testsuites name="parity 20260502T100000Z-ab12" tests="5" failures="2" errors="1" skipped="0" time="2.500">')
    expect(xml).toMatch(/<testsuite name="storage" tests="3" failures="1" errors="1" skipped="0" time="0.030"/)
    expect(xml).toMatch(/<testsuite name="validator" tests="2" failures="1" errors="0" skipped="0" time="0.017"/)
    expect(xml).toContain(
      '<testcase classname="validator" name="validator/email-ok" file="parity/cases/validator/email.yaml" time="0.004"/>',
    )
    expect(xml).toContain(
      '<testcase classname="validator" name="validator/schema-error-shape" file="parity/cases/validator/schema.yaml" time="0.013">',
    )
  })

  it('names the case file of each testcase, repository-relative, in a file attribute', () => {
    const testcases = [...xml.matchAll(/<testcase [^>]*>/g)].map((m) => m[0])
    expect(testcases).toHaveLength(5)
    for (const t of testcases) expect(t).toMatch(/ file="parity\/cases\/[a-z]+\/[a-z-]+\.yaml"/)
  })

  it('fails divergent cases with the new divergences, errors errored ones, passes known ones with a note', () => {
    const divergent = xml.slice(xml.indexOf('name="storage/list"'), xml.indexOf('</testcase>', xml.indexOf('name="storage/list"')))
    expect(divergent).toContain(
      '<failure message="2 new divergence(s): pd-3333333333 missing at $.items[1].etag; pd-4444444444 status at status" type="divergent">',
    )
    const errored = xml.slice(
      xml.indexOf('name="storage/get-missing"'),
      xml.indexOf('</testcase>', xml.indexOf('name="storage/get-missing"')),
    )
    expect(errored).toContain('<error message="step get: expected status 404 on bun, got 500" type="error">')
    expect(errored).not.toContain('<failure')
    const known = xml.slice(xml.indexOf('name="storage/put-object"'), xml.indexOf('</testcase>', xml.indexOf('name="storage/put-object"')))
    expect(known).not.toMatch(/<failure|<error|<skipped/)
    expect(known).toContain('<system-out>known divergences (tracked, not failing):\npd-2222222222 [D-001]')
  })

  it('escapes markup and replaces characters XML 1.0 forbids', () => {
    expect(xml).toContain('&lt;b&gt;valid&lt;/b&gt; &lt;/script&gt;')
    expect(xml).not.toContain('</script>')
    expect(xml).toContain('etag absent on bun \\u0001\\u0008 (control chars)')
    expect(xmlAttr(`<&"'\t\n`)).toBe('&lt;&amp;&quot;&apos;&#9;&#10;')
    expect(xmlText(`a\u0000b\uFFFEc\uD800d]]>`)).toBe('a\\u0000b\uFFFDc\uFFFDd]]&gt;')
    expect(xmlText('emoji 😀 stays')).toBe('emoji 😀 stays')
  })
})
