/**
 * The report page's drill-down: filters, case list, case → steps → responses side by side.
 * Vanilla DOM on purpose (the page must open from the file system, offline, for years): data
 * only ever reaches the page through `textContent` and `setAttribute`, never `innerHTML`,
 * so response bodies cannot inject markup. Navigation state lives in the URL hash
 * (`#case=<id>`) so a link to a case can be shared and the back button works.
 *
 * Plain ES2020 in a String.raw literal: no backticks and no `${` inside.
 */
export const HTML_SCRIPT_UI = String.raw`
var DATA = JSON.parse(document.getElementById('report-data').textContent)
var CLASSES = ['status', 'type', 'missing', 'extra', 'order', 'value', 'header', 'contract']
var RISKS = ['breaking', 'medium', 'additive']
var OUTCOMES = ['parity', 'known', 'divergent', 'error']
// With a single pair every divergence has it; the column would only take width.
var MANY_PAIRS = DATA.pairs.length > 1
var state = { classes: new Set(CLASSES), risks: new Set(RISKS), outcomes: new Set(OUTCOMES), component: '', q: '' }

function h(tag, attrs) {
  var el = document.createElement(tag)
  Object.keys(attrs || {}).forEach(function (k) {
    var v = attrs[k]
    if (v === undefined || v === null || v === false) return
    if (k === 'class') el.className = v
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v)
    else el.setAttribute(k, v === true ? '' : String(v))
  })
  for (var a = 2; a < arguments.length; a++) append(el, arguments[a])
  return el
}
function append(el, kid) {
  if (kid === undefined || kid === null || kid === false) return
  if (Array.isArray(kid)) kid.forEach(function (k) { append(el, k) })
  else el.append(kid instanceof Node ? kid : String(kid))
}
/** Clears el and appends kids (arrays flattened, null skipped): replaceChildren would print "null". */
function fill(el) {
  el.replaceChildren()
  for (var a = 1; a < arguments.length; a++) append(el, arguments[a])
  return el
}
/** Control characters from bodies shown as \uXXXX instead of invisible boxes. */
function printable(text) {
  return String(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, function (c) { return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0') })
}
function ms(v) { return typeof v !== 'number' ? '–' : v < 10 ? v.toFixed(1) + ' ms' : Math.round(v) + ' ms' }
function badge(text, cls) { return h('span', { class: 'badge ' + (cls || text) }, text) }
function show(v) { return v === undefined ? '(absent)' : JSON.stringify(v) }
function caseDivs(c) { return c.steps.reduce(function (all, s) { return all.concat(s.divergences) }, []) }
function caseHref(id) { return '#case=' + encodeURIComponent(id) }

function visible(c) {
  if (!state.outcomes.has(c.outcome)) return false
  if (state.component && c.component !== state.component) return false
  if (state.q && c.id.toLowerCase().indexOf(state.q.toLowerCase()) < 0) return false
  if (state.classes.size === CLASSES.length && state.risks.size === RISKS.length) return true
  return caseDivs(c).some(function (d) { return state.classes.has(d.class) && state.risks.has(d.risk) })
}

function checkboxes(title, values, set) {
  return h('fieldset', {}, h('legend', {}, title), values.map(function (v) {
    return h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: set.has(v), onchange: function (e) {
      if (e.target.checked) set.add(v); else set.delete(v)
      renderList()
    } }), ' ', v)
  }))
}

function buildFilters() {
  var components = Array.from(new Set(DATA.cases.map(function (c) { return c.component }))).sort()
  var box = document.getElementById('filters')
  fill(box,
    h('input', { type: 'search', placeholder: 'case id contains…', 'aria-label': 'search case id', oninput: function (e) { state.q = e.target.value.trim(); renderList() } }),
    h('label', { class: 'select' }, 'component ', h('select', { onchange: function (e) { state.component = e.target.value; renderList() } },
      h('option', { value: '' }, 'all'), components.map(function (c) { return h('option', { value: c }, c) }))),
    checkboxes('outcome', OUTCOMES, state.outcomes),
    checkboxes('class', CLASSES, state.classes),
    checkboxes('risk', RISKS, state.risks),
    h('p', { class: 'hint' }, 'Unticking a class or risk keeps only cases with a divergence of the ticked ones.'))
}

function renderList() {
  var list = document.getElementById('case-list')
  var shown = DATA.cases.filter(visible)
  var current = currentCaseId()
  fill(list, shown.map(function (c) {
    var divs = caseDivs(c)
    var fresh = divs.filter(function (d) { return !d.known }).length
    return h('li', {}, h('a', { href: caseHref(c.id), class: 'case-link' + (c.id === current ? ' current' : '') },
      badge(c.outcome), ' ', h('span', { class: 'case-id' }, c.id),
      h('span', { class: 'case-meta' }, c.component,
        fresh ? ' · ' + fresh + ' new' : '', divs.length - fresh ? ' · ' + (divs.length - fresh) + ' known' : '',
        ' · ', DATA.targets.map(function (t) { return t.name + ' ' + ms(c.latencyMs[t.name]) }).join(' / '))))
  }))
  document.getElementById('case-count').textContent = shown.length + ' of ' + DATA.cases.length + ' cases'
}

function currentCaseId() {
  var m = /^#case=(.*)$/.exec(location.hash)
  return m ? decodeURIComponent(m[1]) : null
}

function divergenceTable(divs) {
  if (divs.length === 0) return h('p', { class: 'quiet' }, 'No divergences in this step.')
  return h('div', { class: 'scroll' }, h('table', { class: 'divs' }, h('thead', {}, h('tr', {}, ['', 'id', MANY_PAIRS ? 'pair' : null, 'class', 'risk', 'path', 'baseline', 'candidate', 'message'].map(function (t) { return t === null ? null : h('th', {}, t) }))),
    h('tbody', {}, divs.map(function (d) {
      return h('tr', { class: d.known ? 'known-row' : 'new-row' },
        h('td', { 'data-label': 'status' }, d.known ? badge('known') : badge('new', 'divergent'), d.trackerId ? h('div', { class: 'quiet' }, d.trackerId) : null),
        h('td', { 'data-label': 'id', class: 'mono nowrap' }, d.id), MANY_PAIRS ? h('td', { 'data-label': 'pair', class: 'nowrap' }, (d.pair[0] === d.pair[1] ? d.pair[0] : d.pair[0] + '→' + d.pair[1])) : null, h('td', { 'data-label': 'class' }, d.class), h('td', { 'data-label': 'risk' }, badge(d.risk)),
        h('td', { 'data-label': 'path', class: 'mono' }, d.path), h('td', { 'data-label': 'baseline', class: 'mono' }, show(d.baseline)), h('td', { 'data-label': 'candidate', class: 'mono' }, show(d.candidate)), h('td', { 'data-label': 'message' }, printable(d.message)))
    }))))
}

function findingList(title, list, kind) {
  if (list.length === 0) return null
  return h('details', { class: 'findings ' + kind }, h('summary', {}, title + ' (' + list.length + ')'),
    h('ul', {}, list.map(function (f) { return h('li', {}, h('span', { class: 'mono' }, f.path), ' — ', f.class, ': ', printable(f.message)) })))
}

function bodyView(resp, marks) {
  if (!resp) return h('div', { class: 'code empty' }, '(no response)')
  if (resp.bodyKind === 'empty') return h('div', { class: 'code empty' }, '(empty body)')
  if (resp.bodyKind === 'binary') return h('div', { class: 'code' }, h('div', { class: 'ln' }, 'binary body, base64: ' + resp.body.slice(0, 400) + (resp.body.length > 400 ? '…' : '')))
  var lines = null
  if (resp.bodyKind === 'json') {
    try { lines = layoutJson(parseJsonRaw(resp.body)) } catch (e) { lines = null }
  }
  if (!lines) lines = resp.body.split('\n').map(function (t) { return { text: t, segs: [] } })
  var marked = markLines(lines, marks)
  return h('div', { class: 'code' }, lines.map(function (line, idx) {
    var mk = marked[idx]
    return h('div', { class: 'ln' + (mk ? ' mark-' + mk.kind : '') }, h('span', { class: 'txt' }, line.text || ' '), mk ? h('span', { class: 'tag' }, mk.label) : null)
  }), resp.truncated ? h('div', { class: 'ln trunc' }, '… truncated to 64 KiB') : null)
}

function responsePanel(target, resp, otherResp, marks) {
  var names = Object.keys(Object.assign({}, resp ? resp.headers : {}, otherResp ? otherResp.headers : {})).sort()
  var statusMark = marks.filter(function (m) { return m.path === 'status' })[0]
  return h('div', { class: 'panel' },
    h('div', { class: 'panel-head' + (statusMark ? ' mark-' + statusMark.kind : '') }, h('strong', {}, target), resp ? ' · ' + resp.status + ' · ' + ms(resp.latencyMs) : ''),
    h('details', { class: 'headers' }, h('summary', {}, 'headers (' + (resp ? Object.keys(resp.headers).length : 0) + ')'),
      h('table', {}, names.map(function (n) {
        var mk = marks.filter(function (m) { return m.path === 'header:' + n })[0]
        var v = resp && resp.headers[n] !== undefined ? resp.headers[n] : '—'
        return h('tr', { class: mk ? 'mark-' + mk.kind : '' }, h('th', {}, n), h('td', { class: 'mono' }, v), h('td', { class: 'tag' }, mk ? mk.label : ''))
      }))),
    bodyView(resp, marks.filter(function (m) { return m.path[0] === '$' })))
}

function stepView(c, step, idx) {
  var extraMarks = step.noise.map(function (f) { return { path: f.path, kind: 'noise', label: 'noise' } })
    .concat(step.ignored.map(function (f) { return { path: f.path, kind: 'ignored', label: 'ignored' } }))
  var hasHeaderMark = step.divergences.some(function (d) { return d.path.indexOf('header:') === 0 })
  return h('section', { class: 'step', id: 'step-' + idx },
    h('h3', {}, (idx + 1) + '. ' + step.name, ' ', h('span', { class: 'mono quiet' }, step.method + ' ' + step.path),
      step.divergences.length ? ' ' : null, step.divergences.length ? badge(step.divergences.length + ' divergence(s)', 'divergent') : null),
    step.error ? h('p', { class: 'error-box' }, step.error) : null,
    step.requestBodyPreview ? h('details', {}, h('summary', {}, 'request body'), h('pre', { class: 'code' }, step.requestBodyPreview)) : null,
    divergenceTable(step.divergences),
    findingList('noise: differed between the two baseline runs', step.noise, 'noise'),
    findingList('ignored by a compare rule', step.ignored, 'ignored'),
    DATA.pairs.map(function (pair) {
      var marks = step.divergences.filter(function (d) { return d.pair[0] === pair[0] && d.pair[1] === pair[1] })
        .map(function (d) { return { path: d.path, kind: d.known ? 'known' : 'new', label: d.class + (d.known ? ' (known)' : '') } })
        .concat(extraMarks)
      var a = step.responses[pair[0]]
      var b = step.responses[pair[1]]
      var grid = h('div', { class: 'side-by-side' }, responsePanel(pair[0], a, b, marks), responsePanel(pair[1], b, a, marks))
      if (hasHeaderMark) grid.querySelectorAll('details.headers').forEach(function (d) { d.open = true })
      return grid
    }))
}

function renderCase() {
  var id = currentCaseId()
  var box = document.getElementById('case-detail')
  var c = DATA.cases.find(function (x) { return x.id === id })
  if (!c) { fill(box, h('p', { class: 'quiet' }, 'Pick a case on the left to see its steps and both responses side by side.')); renderList(); return }
  fill(box,
    h('h2', {}, badge(c.outcome), ' ', h('span', { class: 'mono' }, c.id)),
    h('p', {}, c.title),
    h('p', { class: 'quiet' }, c.component, ' · ', h('span', { class: 'mono' }, c.file), c.tags.length ? ' · tags: ' + c.tags.join(', ') : ''),
    c.error ? h('p', { class: 'error-box' }, c.error) : null,
    h('table', { class: 'latency' }, h('tr', {}, h('th', {}, 'latency'), DATA.targets.map(function (t) { return h('th', {}, t.name) })),
      h('tr', {}, h('td', {}, 'case total'), DATA.targets.map(function (t) { return h('td', {}, ms(c.latencyMs[t.name])) }))),
    c.steps.map(function (s, i) { return stepView(c, s, i) }))
  renderList()
  // Links from the summary tables sit far above the drill-down: bring the case into view.
  document.getElementById('drill').scrollIntoView({ block: 'start' })
}

buildFilters()
renderList()
renderCase()
window.addEventListener('hashchange', renderCase)
`
