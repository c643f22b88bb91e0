import { createHash } from 'node:crypto'
import { encodeJson } from '@lakehouse/kit'
import type { NodeRecordData, NodeResult, NodeSummary, OutputDigest, RunSummary, WorkflowRun } from './types.ts'

const DETAIL_KEEP_CHARS = 256

function byteLength(value: unknown): number {
  return Buffer.byteLength(encodeJson(value))
}

export function outputDigest(output: unknown): OutputDigest {
  const text = encodeJson(output)
  return { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') }
}

/** The `observer.node` audit row: what happened, never the output itself (only its digest). */
export function nodeRecordData(runId: string, workflow: string, node: NodeResult): NodeRecordData {
  return {
    run_id: runId,
    workflow,
    node: node.id,
    mode: node.mode,
    status: node.status,
    started_at: node.started_at,
    duration_ms: node.duration_ms,
    ...(node.error === undefined ? {} : { error_code: node.error.code, error_status: node.error.status }),
    ...(node.skipped_because === undefined ? {} : { skipped_because: node.skipped_because }),
    ...(node.status === 'ok' ? { output_digest: outputDigest(node.output) } : {}),
  }
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text)

/** The error cut to its identity: code, status, title and the start of detail. */
function shortError(node: NodeResult): NodeResult {
  if (node.error === undefined) return node
  const { code, status, detail, title } = node.error
  return {
    ...node,
    error: {
      code: cut(code, 64),
      status,
      detail: cut(detail, DETAIL_KEEP_CHARS),
      ...(typeof title === 'string' ? { title: cut(title, 128) } : {}),
    },
  }
}

/** The error as code and status only. */
function bareError(node: NodeResult): NodeResult {
  if (node.error === undefined) return node
  return { ...node, error: { code: cut(node.error.code, 64), status: node.error.status, detail: '' } }
}

function withoutOutput(node: NodeResult): NodeResult {
  if (!('output' in node)) return node
  const { output: _dropped, ...rest } = node
  return { ...rest, output_truncated: true }
}

/**
 * The run as it is journaled: whole when it fits `maxBytes`; otherwise, with `truncated: true`,
 * (1) outputs are dropped largest first, (2) then all outputs, with error bodies cut to
 * `{code, status, title, detail…}`, (3) then errors are cut to `{code, status}`. Ids, modes,
 * statuses and error codes always survive. Stage 3 is bounded by the node count alone
 * (≤ 128 nodes of ≤ 64-character ids: under 96 KiB even with hostile error codes), so it may
 * exceed a small `maxBytes` but never reaches the journal's 256 KiB refusal.
 */
export function fitRunRecord(run: WorkflowRun, maxBytes: number): WorkflowRun {
  const total = byteLength(run)
  if (total <= maxBytes) return run
  const nodes = [...run.nodes]
  const sized = nodes.map((n, i) => ({ i, bytes: 'output' in n ? byteLength(n.output) : 0 })).filter((s) => s.bytes > 0)
  sized.sort((a, b) => b.bytes - a.bytes)
  let excess = total - maxBytes
  for (const { i, bytes } of sized) {
    if (excess <= 0) break
    nodes[i] = withoutOutput(nodes[i] as NodeResult)
    excess -= bytes
  }
  const stages: (() => WorkflowRun)[] = [
    () => ({ ...run, truncated: true, nodes }),
    () => ({ ...run, truncated: true, nodes: run.nodes.map((n) => shortError(withoutOutput(n))) }),
  ]
  for (const stage of stages) {
    const candidate = stage()
    if (byteLength(candidate) <= maxBytes) return candidate
  }
  return { ...run, truncated: true, nodes: run.nodes.map((n) => bareError(withoutOutput(n))) }
}

function nodeSummary(n: NodeResult): NodeSummary {
  return {
    id: n.id,
    mode: n.mode,
    status: n.status,
    duration_ms: n.duration_ms,
    ...(n.error === undefined ? {} : { error_code: n.error.code }),
    ...(n.skipped_because === undefined ? {} : { skipped_because: n.skipped_because }),
  }
}

export function runSummary(run: WorkflowRun): RunSummary {
  const { nodes, ...head } = run
  return { ...head, nodes: nodes.map(nodeSummary) }
}
