import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { dataLayout } from '@lakehouse/provision'
import { describe, expect, it } from 'vitest'
import { loadGrantKey } from '../src/index.ts'
import { authority, KEY, KEY_HEX, rejectionOf, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

async function keyFile(content: string, mode = 0o600): Promise<string> {
  const dir = await tempDir()
  const path = dataLayout(dir).secretKey
  await writeFile(path, content, { mode })
  await chmod(path, mode) // writeFile's mode passes through the umask
  return dir
}

describe('loadGrantKey', () => {
  it('reads the 32 bytes of a provisioned key, with or without its newline', async () => {
    expect(await loadGrantKey(await keyFile(`${KEY_HEX}\n`))).toEqual(KEY)
    expect(await loadGrantKey(await keyFile(KEY_HEX))).toEqual(KEY)
  })

  it('signs grants the same authority verifies', async () => {
    const dir = await keyFile(`${KEY_HEX}\n`)
    const key = await loadGrantKey(dir)
    const { token } = await authority(dataLayout(dir).grants, { key }).mint('sql.write', 1000)
    expect((await authority(dataLayout(dir).grants).verify(token, 'sql.write')).scope).toBe('sql.write')
  })

  it('refuses an unprovisioned data directory with GRANT_KEY_UNAVAILABLE naming the path and `lakehouse provision`', async () => {
    const dir = join(await tempDir(), 'never-provisioned')
    const p = await rejectionOf(loadGrantKey(dir))
    expect([p.code, p.status]).toEqual(['GRANT_KEY_UNAVAILABLE', 503])
    expect(p.extensions.path).toBe(join(dir, 'secret.key'))
    expect(p.extensions.fix).toBe(`run \`lakehouse provision --data-dir ${dir}\``)
    expect(p.detail).toContain(join(dir, 'secret.key'))
    expect(p.detail).toContain('lakehouse provision')
  })

  it('refuses a key whose mode is not 0600, without repairing it', async () => {
    for (const mode of [0o644, 0o640, 0o400, 0o700]) {
      const dir = await keyFile(`${KEY_HEX}\n`, mode)
      const p = await rejectionOf(loadGrantKey(dir))
      expect([p.code, p.detail]).toEqual(['GRANT_KEY_UNAVAILABLE', expect.stringContaining(`has mode 0${mode.toString(8)}, expected 0600`)])
      expect(p.extensions.fix).toContain('lakehouse provision')
    }
  })

  it('refuses a key without exactly 64 lowercase hex characters, never echoing the content', async () => {
    const bad = [
      '',
      KEY_HEX.slice(0, 63),
      `${KEY_HEX}0`,
      KEY_HEX.toUpperCase(),
      `${KEY_HEX}\n\n`,
      ` ${KEY_HEX}`,
      `${KEY_HEX.slice(0, 62)}zz`,
    ]
    for (const content of bad) {
      const p = await rejectionOf(loadGrantKey(await keyFile(content)))
      expect(p.code).toBe('GRANT_KEY_UNAVAILABLE')
      expect(p.detail).toContain('64 lowercase hex')
      if (content.length > 8) expect(p.detail).not.toContain(content.trim().slice(0, 16))
    }
  })

  it('refuses a key that is a symlink or a directory', async () => {
    const real = await keyFile(`${KEY_HEX}\n`)
    const linked = await tempDir()
    await symlink(dataLayout(real).secretKey, dataLayout(linked).secretKey)
    expect((await rejectionOf(loadGrantKey(linked))).detail).toContain('symbolic link')
    const dirKey = await tempDir()
    await mkdir(dataLayout(dirKey).secretKey, { mode: 0o700 })
    expect((await rejectionOf(loadGrantKey(dirKey))).code).toBe('GRANT_KEY_UNAVAILABLE')
  })
})
