/**
 * Figures as text for warnings, the tracker block and `compare`: deterministic (no locale,
 * no ICU), so a document regenerated on another machine is byte-identical.
 */

/** `1,115` — thousands separators on the integer part; below 10, one decimal. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—'
  if (Math.abs(n) < 10 && !Number.isInteger(n)) return n.toFixed(1)
  const rounded = Math.round(n)
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return rounded < 0 ? `−${digits}` : digits
}

/** Latencies keep one decimal below 10 ms, where a runtime difference is still visible (parity's rule). */
export function formatMs(us: number): string {
  if (!Number.isFinite(us)) return '—'
  const ms = us / 1000
  return ms < 10 ? ms.toFixed(1) : formatCount(ms)
}

/** `0.0`, `0.04`, `12.5`: a failure rate below 0.1 % keeps two decimals so it does not read as none. */
export function formatPct(pct: number): string {
  if (!Number.isFinite(pct)) return '—'
  if (pct === 0) return '0.0'
  return pct < 0.1 ? pct.toFixed(2) : pct.toFixed(1)
}

export function formatMiB(bytes: number): string {
  return `${formatCount(bytes / 1_048_576)} MiB`
}

/** `0.10`, `0.003`, `<0.001`. */
export function formatP(p: number): string {
  if (p < 0.001) return '<0.001'
  return p < 0.01 ? p.toFixed(3) : p.toFixed(2)
}

/** `+12.5 %`, `−3.0 %`; new vs old, relative to old. */
export function formatChange(pct: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return 'n/a'
  if (pct === 0) return '±0.0 %'
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} %`
}

/** `node c=50 r2`: one measurement, as warnings name it. */
export function measurementLabel(m: { readonly target: string; readonly tier: number; readonly round: number }): string {
  return `${m.target} c=${m.tier} r${m.round}`
}
