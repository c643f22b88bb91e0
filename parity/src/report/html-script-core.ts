/**
 * Pure helpers of the report page's script (no DOM): a JSON pretty-printer that keeps number
 * literals as written (`1.0` stays `1.0`, 2^53+1 stays exact — `JSON.parse` would lose both,
 * and those are exactly the divergences the page must show) and records each line's JSON
 * path, a parser for the divergence path grammar of model.ts, and the matcher that marks
 * lines. Kept separate from the DOM part so tests can evaluate it with `new Function`.
 *
 * Written as plain ES2020 in a String.raw literal: no backticks and no `${` inside.
 */
export const HTML_SCRIPT_CORE = String.raw`
function parseJsonRaw(text) {
  var i = 0
  function fail() { throw new Error('invalid JSON at ' + i) }
  function ws() { while (i < text.length && ' \t\n\r'.indexOf(text[i]) >= 0) i++ }
  function str() {
    var start = i
    i++
    while (i < text.length && text[i] !== '"') { if (text[i] === '\\') i++; i++ }
    if (i >= text.length) fail()
    i++
    var raw = text.slice(start, i)
    return { t: 's', raw: raw, v: JSON.parse(raw) }
  }
  var SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y
  function value() {
    ws()
    var ch = text[i]
    if (ch === '{' || ch === '[') {
      var isObj = ch === '{'
      var close = isObj ? '}' : ']'
      var kids = []
      i++
      ws()
      if (text[i] === close) { i++; return isObj ? { t: 'o', entries: kids } : { t: 'a', items: kids } }
      for (;;) {
        if (isObj) {
          ws()
          if (text[i] !== '"') fail()
          var key = str().v
          ws()
          if (text[i] !== ':') fail()
          i++
          kids.push([key, value()])
        } else kids.push(value())
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === close) { i++; return isObj ? { t: 'o', entries: kids } : { t: 'a', items: kids } }
        fail()
      }
    }
    if (ch === '"') return str()
    SCALAR.lastIndex = i
    var m = SCALAR.exec(text)
    if (!m) fail()
    i = SCALAR.lastIndex
    return { t: m[0] === 'null' ? 'z' : m[0] === 'true' || m[0] === 'false' ? 'b' : 'n', raw: m[0] }
  }
  var root = value()
  ws()
  if (i !== text.length) fail()
  return root
}

/** Lines of the pretty-printed document, each with the path segments of the value it shows. */
function layoutJson(root) {
  var lines = []
  function walk(n, segs, depth, prefix, comma) {
    var pad = '  '.repeat(depth)
    var kids = n.t === 'o' ? n.entries : n.t === 'a' ? n.items : null
    if (kids && kids.length > 0) {
      lines.push({ text: pad + prefix + (n.t === 'o' ? '{' : '['), segs: segs, open: true })
      kids.forEach(function (kid, idx) {
        var last = idx === kids.length - 1 ? '' : ','
        if (n.t === 'o') walk(kid[1], segs.concat([{ k: kid[0] }]), depth + 1, JSON.stringify(kid[0]) + ': ', last)
        else walk(kid, segs.concat([{ i: idx, el: kid }]), depth + 1, '', last)
      })
      lines.push({ text: pad + (n.t === 'o' ? '}' : ']') + comma, segs: segs, close: true })
    } else {
      var scalar = n.t === 'o' ? '{}' : n.t === 'a' ? '[]' : n.raw
      lines.push({ text: pad + prefix + scalar + comma, segs: segs })
    }
  }
  walk(root, [], 0, '', '')
  return lines
}

/** A '…' or "…" literal at 'at' with backslash escapes: [text, index after] or null. */
function readQuoted(path, at) {
  var q = path[at]
  if (q !== "'" && q !== '"') return null
  var text = ''
  for (var i = at + 1; i < path.length; i++) {
    var c = path[i]
    if (c === '\\') { if (i + 1 >= path.length) return null; text += path[i + 1]; i++ }
    else if (c === q) return [text, i + 1]
    else text += c
  }
  return null
}

/** Same grammar as diff/json-path.ts: $ .name ['name'] [3] [?(@.k=='v')] [?(@['k']=='v')] [*] .* — null when not a body path. */
function parsePath(path) {
  if (typeof path !== 'string') return null
  var text = path.trim()
  if (text[0] !== '$') return null
  var segs = []
  var i = 1
  while (i < text.length) {
    if (text[i] === '.') {
      if (text[i + 1] === '*') { segs.push({ any: true }); i += 2; continue }
      var j = i + 1
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++
      if (j === i + 1) return null
      segs.push({ k: text.slice(i + 1, j) })
      i = j
    } else if (text[i] === '[') {
      if (text.startsWith('[*]', i)) { segs.push({ any: true }); i += 3; continue }
      var digits = /^\[(\d+)\]/.exec(text.slice(i, i + 24))
      if (digits) { segs.push({ i: Number(digits[1]) }); i += digits[0].length; continue }
      if (text.startsWith('[?(@', i)) {
        var at = i + 4
        var key
        if (text[at] === '.') {
          var eq = text.indexOf('==', at)
          if (eq < 0) return null
          key = text.slice(at + 1, eq).trim()
          at = eq
        } else if (text[at] === '[') {
          var kq = readQuoted(text, at + 1)
          if (!kq || text[kq[1]] !== ']') return null
          key = kq[0]
          at = kq[1] + 1
        } else return null
        if (!key || !text.startsWith('==', at)) return null
        at += 2
        var value
        var vq = readQuoted(text, at)
        if (vq) { value = vq[0]; at = vq[1] }
        else {
          var close = text.indexOf(')]', at)
          if (close < 0) return null
          value = text.slice(at, close).trim()
          at = close
        }
        if (!text.startsWith(')]', at)) return null
        segs.push({ f: key, v: value })
        i = at + 2
        continue
      }
      var mq = readQuoted(text, i + 1)
      if (!mq || text[mq[1]] !== ']') return null
      segs.push({ k: mq[0] })
      i = mq[1] + 1
    } else return null
  }
  return segs
}

function segMatches(p, s) {
  if (p.any) return true
  if (p.k !== undefined) return s.k === p.k
  if (p.i !== undefined) return s.i === p.i
  if (p.f !== undefined) {
    // The key member's value as text: a string's content, or a number/boolean/null literal as written.
    if (!s.el || s.el.t !== 'o') return false
    var hit = s.el.entries.find(function (e) { return e[0] === p.f })
    if (!hit) return false
    return hit[1].t === 's' ? hit[1].v === p.v : hit[1].raw === p.v
  }
  return false
}

/** True when the line shows the value at the pattern's path or something inside it. */
function lineUnder(pattern, segs) {
  if (pattern.length > segs.length) return false
  for (var j = 0; j < pattern.length; j++) if (!segMatches(pattern[j], segs[j])) return false
  return true
}

/** Index of the deepest line that is a strict ancestor of the pattern's path (where an absent member would be), or -1. */
function ancestorLine(pattern, lines) {
  var best = -1
  var bestDepth = -1
  lines.forEach(function (line, idx) {
    if (line.close || line.segs.length >= pattern.length || line.segs.length <= bestDepth) return
    for (var j = 0; j < line.segs.length; j++) if (!segMatches(pattern[j], line.segs[j])) return
    best = idx
    bestDepth = line.segs.length
  })
  return best
}

/**
 * marks: [{path, kind, label}] with kind new | known | noise | ignored. Returns, per line,
 * the strongest mark (new > known > noise > ignored) and its label; a path with no line of
 * its own (absent on this side) marks its nearest ancestor with kind 'absent-' + kind.
 */
var MARK_RANK = { new: 4, known: 3, noise: 2, ignored: 1 }
function markLines(lines, marks) {
  var out = lines.map(function () { return null })
  function put(idx, kind, label, rank) {
    var cur = out[idx]
    if (!cur || cur.rank < rank) out[idx] = { kind: kind, label: label, rank: rank }
  }
  marks.forEach(function (mk) {
    var pattern = parsePath(mk.path)
    if (!pattern) return
    var rank = MARK_RANK[mk.kind] || 0
    var any = false
    lines.forEach(function (line, idx) {
      if (lineUnder(pattern, line.segs)) { any = true; put(idx, mk.kind, mk.label, rank) }
    })
    if (!any) {
      var anc = ancestorLine(pattern, lines)
      if (anc >= 0) put(anc, 'absent-' + mk.kind, mk.label + ' (absent here)', rank - 0.5)
    }
  })
  return out
}
`
