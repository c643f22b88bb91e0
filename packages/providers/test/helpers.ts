import { isProblem, type Problem } from '@lakehouse/kit'
import {
  createProviderClient,
  type ProviderClient,
  type ProviderClientDeps,
  type ProviderEndpoint,
  type ProviderKind,
} from '../src/index.ts'
import type { ProtocolPeer } from './protocol-peer.ts'

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { readonly waits: number[]; readonly sleep: (ms: number) => Promise<void> } {
  const waits: number[] = []
  return { waits, sleep: async (ms) => void waits.push(ms) }
}

export function baseUrlOf(peer: ProtocolPeer, kind: ProviderKind): string {
  return kind === 'openai' ? `${peer.url}/v1` : peer.url
}

export function clientFor(
  peer: ProtocolPeer,
  kind: ProviderKind,
  endpoint: Partial<ProviderEndpoint> = {},
  deps: ProviderClientDeps = {},
): ProviderClient {
  return createProviderClient({ kind, baseUrl: baseUrlOf(peer, kind), ...endpoint }, { random: () => 0.5, ...deps })
}

/** The Problem a promise rejects with (fails the test when it resolves or throws something else). */
export async function problemOf(p: Promise<unknown>): Promise<Problem> {
  try {
    await p
  } catch (err) {
    if (isProblem(err)) return err
    throw err
  }
  throw new Error('expected a Problem, the call succeeded')
}
