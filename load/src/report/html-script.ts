/**
 * The page's own script: draws the charts from the `chart-data` block with the inlined
 * Chart.js. Animation is off (the page is a document, and headless screenshots must show the
 * final state); colours and fonts come from the stylesheet so dark mode works. Without
 * JavaScript the tables above each chart carry the same figures.
 *
 * Written as plain ES2020 in a template literal: no backticks, no `${` and no backslashes inside.
 */
export const HTML_SCRIPT = `
(function () {
  'use strict'
  var block = document.getElementById('chart-data')
  if (!block || typeof Chart === 'undefined') return
  var data = JSON.parse(block.textContent)
  var css = getComputedStyle(document.documentElement)
  function cssVar(name, fallback) { var v = css.getPropertyValue(name).trim(); return v || fallback }
  Chart.defaults.animation = false
  Chart.defaults.maintainAspectRatio = false
  Chart.defaults.color = cssVar('--muted', '#666')
  Chart.defaults.borderColor = cssVar('--grid', '#e5e5e5')
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
  Chart.defaults.font.size = 12
  Chart.defaults.plugins.legend.labels.boxWidth = 14

  function withAlpha(hex, alpha) {
    var n = parseInt(hex.slice(1), 16)
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')'
  }
  /** Later rounds of a target are lighter, so every line of one target shares its hue. */
  function roundAlpha(round) { return Math.max(0.35, 1 - (round - 1) * 0.35) }
  function fmt(v, digits) { return v === null || v === undefined ? '–' : Number(v).toFixed(digits) }

  var charts = {}

  function latencyChart(canvas, tier) {
    var chart = tier.latency[Number(canvas.getAttribute('data-scenario-index'))]
    if (!chart) return null
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: tier.percentiles,
        datasets: chart.bars.map(function (d) {
          return { label: d.target, data: d.ms, backgroundColor: withAlpha(d.colour, 0.8), borderColor: d.colour, borderWidth: 1 }
        }),
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false } },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'ms' }, ticks: { callback: latencyTick, autoSkip: false } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + ': ' + fmt(item.raw, 2) + ' ms' },
            },
          },
        },
      },
    })
  }

  /** On a log axis only 1, 2 and 5 × 10^k are labelled (the others crowd); linear ticks as Chart.js writes them. */
  function latencyTick(value, index, ticks) {
    if (this.type !== 'logarithmic') return Chart.Ticks.formatters.numeric.call(this, value, index, ticks)
    var lead = Number(value.toPrecision(1)) / Math.pow(10, Math.floor(Math.log10(value)))
    return value > 0 && (lead === 1 || lead === 2 || lead === 5) && Math.abs(value - Number(value.toPrecision(1))) < 1e-9 ? String(Number(value.toPrecision(1))) : ''
  }

  /** The log axis starts at the power of ten below the smallest bar, so no bar sits on the axis and vanishes. */
  function logFloor(chart) {
    var smallest = Infinity
    chart.data.datasets.forEach(function (d) { d.data.forEach(function (v) { if (v > 0 && v < smallest) smallest = v }) })
    return smallest === Infinity ? undefined : Math.pow(10, Math.floor(Math.log10(smallest)))
  }

  /** One line per target and round; extra lines (the load generator's CPU) dashed. */
  function timeChart(canvas, tier, kind) {
    var spec = {
      scenarios: { key: 'scenarios', unit: 'scenarios/s', digits: 0 },
      requests: { key: 'requests', unit: 'requests/s', digits: 0 },
      rss: { key: 'rssMiB', unit: 'MiB', digits: 1 },
      cpu: { key: 'cpu', unit: '%', digits: 1, extra: { key: 'lgCpu', label: 'load gen' } },
    }[kind]
    var datasets = []
    tier.series.forEach(function (s) {
      var colour = withAlpha(s.colour, roundAlpha(s.round))
      function line(key, label, dashed) {
        return {
          label: label,
          data: s.t.map(function (t, i) { return { x: t, y: s[key][i] } }),
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: dashed ? 1.5 : 2,
          borderDash: dashed ? [5, 4] : [],
          pointRadius: 0,
          pointHitRadius: 6,
          spanGaps: false,
          tension: 0,
        }
      }
      datasets.push(line(spec.key, s.target + ' r' + s.round, false))
      if (spec.extra) datasets.push(line(spec.extra.key, s.target + ' r' + s.round + ' ' + spec.extra.label, true))
    })
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 's into the measurement' }, ticks: { precision: 0 } },
          y: { beginAtZero: kind !== 'rss', title: { display: true, text: spec.unit } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? 't = ' + items[0].parsed.x + ' s' : '' },
              label: function (item) { return item.dataset.label + ': ' + fmt(item.parsed.y, spec.digits) + ' ' + spec.unit },
            },
          },
        },
      },
    })
  }

  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var tier = data.tiers[Number(canvas.getAttribute('data-tier-index'))]
    if (!tier) return
    var kind = canvas.getAttribute('data-chart')
    var chart = kind === 'latency' ? latencyChart(canvas, tier) : timeChart(canvas, tier, kind)
    if (chart) charts[canvas.id] = chart
  })

  document.querySelectorAll('input[data-log-for]').forEach(function (box) {
    var prefix = box.getAttribute('data-log-for')
    box.addEventListener('change', function () {
      Object.keys(charts).forEach(function (id) {
        if (id.indexOf(prefix) !== 0) return
        var chart = charts[id]
        chart.options.scales.y.type = box.checked ? 'logarithmic' : 'linear'
        chart.options.scales.y.beginAtZero = !box.checked
        chart.options.scales.y.min = box.checked ? logFloor(chart) : undefined
        chart.update()
      })
    })
  })
})()
`
