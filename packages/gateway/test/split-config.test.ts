import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { parseServices, parseUpstream, resolveSplitConfig } from '../src/split/split-config.ts'

function configProblem(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (isProblem(err) && err.code === 'CONFIG_INVALID') return err.detail
    throw err
  }
  throw new Error('expected CONFIG_INVALID')
}

describe('split config', () => {
  it('reads an upstream with a sub-path', () => {
    expect(parseUpstream('catalog=http://10.0.0.5:9001/api/')).toEqual({
      name: 'catalog',
      origin: 'http://10.0.0.5:9001',
      basePath: '/api',
    })
  })

  it.each([
    ['catalog', 'not name=URL'],
    ['nope=http://a', '"nope" is not a component'],
    ['catalog=127.0.0.1:9001', 'has no scheme'],
    ['catalog=ftp://a', 'must be http or https'],
    ['catalog=http://u:p@a', 'must not carry credentials'],
    ['catalog=http://a/?x=1', 'must not have a query'],
  ])('refuses %s naming the setting', (text, message) => {
    expect(configProblem(() => parseUpstream(text))).toContain(message)
  })

  it('refuses unknown and repeated services', () => {
    expect(configProblem(() => parseServices('catalog,kitchen'))).toContain('"kitchen" is not a component')
    expect(configProblem(() => parseServices('catalog,catalog'))).toContain('listed twice')
  })

  it('checks the deployment shape', () => {
    const up = parseUpstream('catalog=http://127.0.0.1:1')
    expect(configProblem(() => resolveSplitConfig({ services: ['query'], serviceToken: 's'.repeat(16) }))).toContain(
      'query calls catalog: add catalog to --services or give --upstream catalog=URL',
    )
    expect(
      configProblem(() => resolveSplitConfig({ services: ['query', 'catalog'], upstreams: [up], serviceToken: 's'.repeat(16) })),
    ).toContain('catalog is served by this process')
    expect(configProblem(() => resolveSplitConfig({ services: ['embed'] }))).toContain('LAKEHOUSE_SERVICE_TOKEN')
    const all = resolveSplitConfig({})
    expect(all.serviceToken).toBeUndefined()
    expect(all.services.size).toBe(12)
  })
})
