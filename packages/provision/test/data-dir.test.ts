import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from '../src/index.ts'

const HOME = '/home/ada'

describe('resolveDataDir', () => {
  const all = { LAKEHOUSE_DATA_DIR: '/srv/env', XDG_DATA_HOME: '/xdg' }

  it('prefers the explicit flag over every environment variable', () => {
    expect(resolveDataDir({ flag: '/srv/flag', env: all, homedir: HOME })).toEqual({ path: '/srv/flag', source: 'flag' })
  })

  it('uses LAKEHOUSE_DATA_DIR when there is no flag', () => {
    expect(resolveDataDir({ env: all, homedir: HOME })).toEqual({ path: '/srv/env', source: 'LAKEHOUSE_DATA_DIR' })
  })

  it('uses $XDG_DATA_HOME/lakehouse when LAKEHOUSE_DATA_DIR is unset', () => {
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg' }, homedir: HOME })).toEqual({ path: '/xdg/lakehouse', source: 'XDG_DATA_HOME' })
  })

  it('falls back to <home>/.local/share/lakehouse', () => {
    expect(resolveDataDir({ env: {}, homedir: HOME })).toEqual({ path: '/home/ada/.local/share/lakehouse', source: 'home' })
  })

  it('treats empty and blank strings as unset at every level', () => {
    const env = { LAKEHOUSE_DATA_DIR: '', XDG_DATA_HOME: '' }
    expect(resolveDataDir({ flag: '', env, homedir: HOME })).toEqual({ path: '/home/ada/.local/share/lakehouse', source: 'home' })
    expect(resolveDataDir({ flag: '  ', env: { LAKEHOUSE_DATA_DIR: ' ', XDG_DATA_HOME: '/xdg' }, homedir: HOME }).source).toBe(
      'XDG_DATA_HOME',
    )
    expect(resolveDataDir({ flag: '', env: { LAKEHOUSE_DATA_DIR: '/srv/env' }, homedir: HOME }).source).toBe('LAKEHOUSE_DATA_DIR')
  })

  it('ignores an undefined value the same as a missing one', () => {
    expect(resolveDataDir({ env: { LAKEHOUSE_DATA_DIR: undefined, XDG_DATA_HOME: undefined }, homedir: HOME }).source).toBe('home')
  })

  it('resolves a relative flag and a relative LAKEHOUSE_DATA_DIR against cwd', () => {
    expect(resolveDataDir({ flag: 'state', env: {}, homedir: HOME, cwd: '/work/app' })).toEqual({ path: '/work/app/state', source: 'flag' })
    expect(resolveDataDir({ env: { LAKEHOUSE_DATA_DIR: '../data' }, homedir: HOME, cwd: '/work/app' })).toEqual({
      path: '/work/data',
      source: 'LAKEHOUSE_DATA_DIR',
    })
  })

  it('resolves relative values against the process working directory when no cwd is given', () => {
    expect(resolveDataDir({ flag: 'state', env: {}, homedir: HOME }).path).toBe(resolve(process.cwd(), 'state'))
  })

  it('ignores a relative XDG_DATA_HOME, as the XDG Base Directory spec requires', () => {
    expect(resolveDataDir({ env: { XDG_DATA_HOME: 'rel/xdg' }, homedir: HOME, cwd: '/work/app' })).toEqual({
      path: '/home/ada/.local/share/lakehouse',
      source: 'home',
    })
  })

  it('expands a leading ~ that no shell expanded (unit files, --data-dir=~/x)', () => {
    expect(resolveDataDir({ flag: '~/lh', env: {}, homedir: HOME }).path).toBe('/home/ada/lh')
    expect(resolveDataDir({ env: { LAKEHOUSE_DATA_DIR: '~' }, homedir: HOME }).path).toBe('/home/ada')
    expect(resolveDataDir({ flag: 'a~/b', env: {}, homedir: HOME, cwd: '/w' }).path).toBe('/w/a~/b')
  })

  it('returns normalised absolute paths', () => {
    expect(resolveDataDir({ flag: '/srv//a/./b/../c/', env: {}, homedir: HOME }).path).toBe('/srv/a/c')
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg/../data/' }, homedir: HOME }).path).toBe('/data/lakehouse')
  })

  it('refuses with PROVISION_DATA_DIR_UNRESOLVED when nothing, not even a home directory, is given', () => {
    expect(() => resolveDataDir({ env: { XDG_DATA_HOME: '' }, homedir: '' })).toThrow(
      expect.objectContaining({ code: 'PROVISION_DATA_DIR_UNRESOLVED', status: 500 }),
    )
  })
})
