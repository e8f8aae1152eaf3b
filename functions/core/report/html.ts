import type { FeatureDrift } from '../drift/compare.js';
import type { ConstraintCheckType } from '../model-monitor/types.js';
import type { CategoryChart, FeatureChart, HistogramChart } from './chart-data.js';
import type { DriftReport } from './drift-report.js';
import { formatNumber } from './text.js';
import { allColumns, CHECK_TYPES, headline, methodLabel, thresholdLabel, verdictStatus } from './verdict.js';

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /**
   * The source of Chart.js's UMD build (`chart.js/dist/chart.umd.js`), inlined so the file needs no network.
   * The caller reads it: the core does no I/O.
   */
  chartJs: string;
  /** @default 'driftwatch drift report' */
  title?: string;
  /** When the report was rendered, shown in the footer. @default not shown */
  generatedAt?: Date;
}

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no `</script>` or `<!--` can appear. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Library source for an inline `<script>`: no source-map fetch, and no `</script` that would end the block. */
function inlineScript(source: string): string {
  return source.replace(/^\/\/# sourceMappingURL=.*$/gm, '').replace(/<\/script/gi, '<\\/script');
}

/** Bin labels over interior edges; the open-ended outer bins end at the observed range when known. */
export function binLabels(chart: HistogramChart): string[] {
  const e = chart.edges;
  const f = (x: number) => formatNumber(x);
  const labels: string[] = [];
  for (let i = 0; i <= e.length; i++) {
    const lo = e[i - 1];
    const hi = e[i];
    if (lo === undefined && hi === undefined) labels.push('all values');
    else if (lo === undefined && hi !== undefined)
      labels.push(chart.range && chart.range.min < hi ? `[${f(chart.range.min)}, ${f(hi)})` : `< ${f(hi)}`);
    else if (lo !== undefined && hi === undefined)
      labels.push(chart.range && chart.range.max >= lo ? `[${f(lo)}, ${f(chart.range.max)}]` : `≥ ${f(lo)}`);
    else labels.push(`[${f(lo ?? 0)}, ${f(hi ?? 0)})`);
  }
  return labels;
}

/** What the page's script draws for one chart: labels, both sides' counts, and which bars are unseen. */
interface ChartPayload {
  index: number;
  name: string;
  kind: FeatureChart['kind'];
  drift: boolean;
  labels: string[];
  baseline: number[];
  current: number[];
  unseen: boolean[];
}

function payload(chart: FeatureChart, index: number, drift: boolean): ChartPayload {
  if (chart.kind === 'histogram') {
    return {
      index,
      name: chart.name,
      kind: chart.kind,
      drift,
      labels: binLabels(chart),
      baseline: chart.baseline,
      current: chart.current,
      unseen: chart.current.map(() => false),
    };
  }
  const c: CategoryChart = chart;
  const hasOther = c.other.baseline > 0 || c.other.current > 0;
  return {
    index,
    name: c.name,
    kind: c.kind,
    drift,
    labels: [
      ...c.categories.map((b) => (b.unseen ? `${b.value} (new)` : b.value)),
      ...(hasOther ? ['(other)'] : []),
    ],
    baseline: [...c.categories.map((b) => b.baseline), ...(hasOther ? [c.other.baseline] : [])],
    current: [...c.categories.map((b) => b.current), ...(hasOther ? [c.other.current] : [])],
    unseen: [...c.categories.map((b) => b.unseen === true), ...(hasOther ? [false] : [])],
  };
}

const percent = (x: number) => `${formatNumber(x * 100)}%`;

const STYLE = `
:root { --ink:#0f172a; --muted:#475569; --line:#e2e8f0; --bg:#f8fafc; --card:#fff;
  --red:#b91c1c; --red-bg:#fef2f2; --amber:#b45309; --amber-bg:#fffbeb; --green:#15803d; --green-bg:#f0fdf4; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.banner { color:#fff; padding:28px 40px 24px; }
.banner.drift { background:linear-gradient(135deg,#991b1b,#dc2626); }
.banner.violations { background:linear-gradient(135deg,#92400e,#d97706); }
.banner.ok { background:linear-gradient(135deg,#166534,#16a34a); }
.banner .brand { font-size:12px; letter-spacing:.12em; text-transform:uppercase; opacity:.85; }
.banner h1 { margin:4px 0 2px; font-size:28px; font-weight:700; }
.banner p { margin:0; font-size:16px; opacity:.95; }
main { max-width:1280px; margin:0 auto; padding:24px 40px 48px; }
h2 { font-size:18px; margin:32px 0 12px; padding-bottom:6px; border-bottom:1px solid var(--line); }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(160px,1fr)); gap:12px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.05em; }
.card .value { font-size:22px; font-weight:600; margin-top:2px; overflow-wrap:anywhere; }
.card .value.small { font-size:14px; font-weight:500; }
.card.bad .value { color:var(--red); } .card.warn .value { color:var(--amber); } .card.good .value { color:var(--green); }
table { width:100%; border-collapse:collapse; background:var(--card); border:1px solid var(--line); border-radius:8px; overflow:hidden; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#f1f5f9; font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
tr:last-child td { border-bottom:none; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
code { font-family:ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12.5px; background:#f1f5f9; padding:1px 5px; border-radius:4px; }
.pill { display:inline-block; font-size:11px; font-weight:700; letter-spacing:.04em; padding:2px 8px; border-radius:999px; }
.pill.drift { background:var(--red-bg); color:var(--red); border:1px solid #fecaca; }
.pill.ok { background:var(--green-bg); color:var(--green); border:1px solid #bbf7d0; }
.pill.none { background:#f1f5f9; color:var(--muted); border:1px solid var(--line); }
.pill.warn { background:var(--amber-bg); color:var(--amber); border:1px solid #fde68a; }
.grid { display:grid; grid-template-columns:repeat(auto-fill,minmax(380px,1fr)); gap:14px; }
.feature { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px 10px; }
.feature.drift { border-color:#fca5a5; box-shadow:inset 4px 0 0 var(--red); }
.feature header { display:flex; align-items:center; justify-content:space-between; gap:8px; }
.feature h3 { margin:0; font-size:15px; overflow-wrap:anywhere; }
.feature .meta { display:flex; justify-content:space-between; gap:8px; color:var(--muted); font-size:12.5px; margin:2px 0 8px; }
.feature .meta .stat { white-space:nowrap; }
.feature .meta b { color:var(--ink); font-weight:600; }
.chart { position:relative; height:210px; }
.nochart { height:210px; display:flex; align-items:center; justify-content:center; color:var(--muted);
  background:#f8fafc; border:1px dashed var(--line); border-radius:6px; margin:0; }
.foot { color:var(--muted); font-size:12px; margin-top:6px; }
.legend { display:flex; gap:16px; color:var(--muted); font-size:12.5px; margin:0 0 12px; }
.swatch { display:inline-block; width:12px; height:12px; border-radius:2px; vertical-align:-1px; margin-right:5px; }
.empty { color:var(--muted); background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
details { margin-top:12px; } summary { cursor:pointer; color:var(--muted); }
footer { color:var(--muted); font-size:12px; margin-top:40px; border-top:1px solid var(--line); padding-top:12px; }
`;

// The page's own script: draws one Chart.js bar chart per column from the JSON block. Plain ES2017 so any
// current browser runs it; shares rather than counts, so windows of different sizes compare.
const INIT = `
(function () {
  var data = JSON.parse(document.getElementById('driftwatch-data').textContent);
  var BASE = '#94a3b8', CUR = '#2563eb', CUR_DRIFT = '#dc2626', UNSEEN = '#f59e0b';
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#475569';
  function shares(xs) {
    var t = xs.reduce(function (a, b) { return a + b; }, 0);
    return xs.map(function (x) { return t > 0 ? (100 * x) / t : 0; });
  }
  function short(s) { return s.length > 18 ? s.slice(0, 17) + '\\u2026' : s; }
  data.charts.forEach(function (c) {
    var canvas = document.querySelector('canvas[data-chart="' + c.index + '"]');
    if (!canvas) return;
    var cur = c.drift ? CUR_DRIFT : CUR;
    var counts = { Baseline: c.baseline, Current: c.current };
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: c.labels,
        datasets: [
          { label: 'Baseline', data: shares(c.baseline), backgroundColor: BASE, borderRadius: 2 },
          { label: 'Current', data: shares(c.current), borderRadius: 2,
            backgroundColor: c.unseen.map(function (u) { return u ? UNSEEN : cur; }) }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: {
            title: function (items) { return c.labels[items[0].dataIndex]; },
            label: function (item) {
              var n = counts[item.dataset.label][item.dataIndex];
              return item.dataset.label + ': ' + item.parsed.y.toFixed(1) + '% (' + (Math.round(n * 100) / 100) + ')';
            }
          } }
        },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: c.kind === 'histogram', maxRotation: 60,
            callback: function (v) { return short(c.labels[v]); } } },
          y: { beginAtZero: true, title: { display: true, text: '% of values' }, grid: { color: '#eef2f7' } }
        }
      }
    });
    canvas.setAttribute('data-rendered', 'true');
  });
})();
`;

function featureCard(f: FeatureDrift, chartIndex: number | undefined, isOutput: boolean): string {
  const status = f.drift
    ? '<span class="pill drift">DRIFT</span>'
    : f.statistic === null
      ? '<span class="pill none">NO VERDICT</span>'
      : '<span class="pill ok">OK</span>';
  const name = escapeHtml(f.name);
  const chart =
    chartIndex === undefined
      ? '<p class="nochart">No distribution data for this column.</p>'
      : `<div class="chart"><canvas data-chart="${chartIndex}" data-feature="${name}" role="img" aria-label="${escapeHtml(`Baseline and current distribution of ${f.name}`)}"></canvas></div>`;
  return [
    `<article class="feature${f.drift ? ' drift' : ''}" data-feature="${name}">`,
    `<header><h3>${name}</h3>${status}</header>`,
    `<p class="meta"><span>${isOutput ? 'prediction · ' : ''}${f.type} · ${escapeHtml(methodLabel(f))}</span><span class="stat"><b>${escapeHtml(formatNumber(f.statistic))}</b> threshold ${escapeHtml(thresholdLabel(f))}</span></p>`,
    chart,
    `<p class="foot">n ${f.count} (baseline ${f.baselineCount}) · missing ${percent(f.missingRate)} (baseline ${percent(f.baselineMissingRate)})${f.note ? ` · ${escapeHtml(f.note)}` : ''}${f.statistics.newCategories && f.statistics.newCategories.length > 0 ? ` · unseen: ${escapeHtml(f.statistics.newCategories.slice(0, 5).join(', '))}${f.statistics.newCategories.length > 5 ? ', …' : ''}` : ''}</p>`,
    '</article>',
  ].join('\n');
}

function card(label: string, value: string, tone = '', small = false, id?: string): string {
  return `<div class="card ${tone}"${id ? ` data-check="${id}" title="${id}"` : ''}><div class="label">${escapeHtml(label)}</div><div class="value${small ? ' small' : ''}">${value}</div></div>`;
}

const CHECK_LABELS: Record<ConstraintCheckType, string> = {
  baseline_drift_check: 'Baseline drift',
  data_type_check: 'Data type',
  completeness_check: 'Completeness',
  missing_column_check: 'Missing columns',
  extra_column_check: 'Extra columns',
  categorical_values_check: 'Categorical values',
};

/**
 * Renders a drift report as one self-contained HTML page: a verdict banner, summary cards, the violations,
 * data-quality counts, and per column a Chart.js bar chart of baseline against current shares (the histogram
 * over the baseline's bins for numeric columns, category bars with unseen categories marked for categorical
 * ones). Chart.js and the data are inlined and a Content-Security-Policy forbids every fetch, so the file
 * works offline and as a CI artifact. Throws RangeError when `chartJs` is not Chart.js's source.
 */
export function renderHtml(report: DriftReport, options: HtmlOptions): string {
  if (!options.chartJs.includes('Chart')) {
    throw new RangeError("renderHtml: chartJs must be the source of Chart.js's UMD build (chart.umd.js)");
  }
  const title = options.title ?? 'driftwatch drift report';
  const status = verdictStatus(report);
  const columns = allColumns(report);
  const drifted = report.features.filter((f) => f.drift).length;
  const driftByName = new Map(columns.map((f) => [f.name, f.drift]));
  const charts = report.charts.map((c, i) => payload(c, i, driftByName.get(c.name) ?? false));
  const chartIndex = new Map(report.charts.map((c, i) => [c.name, i]));
  const outputs = new Set(report.outputs.map((f) => f.name));
  const ordered = [...columns.filter((f) => f.drift), ...columns.filter((f) => !f.drift)];
  const violationsOf = (name: string) =>
    report.violations.filter((v) => v.feature_name === name).map((v) => v.constraint_check_type);

  const verdictTitle = { drift: 'Drift detected', violations: 'Data-quality violations', ok: 'No drift' }[
    status
  ];
  const body: string[] = [
    `<header class="banner ${status}" id="verdict" data-status="${status}">`,
    `<div class="brand">${escapeHtml(title)}</div>`,
    `<h1>${verdictTitle}</h1>`,
    `<p>${escapeHtml(headline(report))}</p>`,
    '</header>',
    '<main>',
    '<section class="cards" id="summary">',
    card('Features drifted', `${drifted} / ${report.features.length}`, drifted > 0 ? 'bad' : 'good'),
    ...(report.outputs.length > 0
      ? [
          card(
            'Prediction',
            report.outputs.some((f) => f.drift) ? 'drifted' : 'stable',
            report.outputs.some((f) => f.drift) ? 'bad' : 'good',
          ),
        ]
      : []),
    card('Violations', String(report.violations.length), report.violations.length > 0 ? 'warn' : 'good'),
    card(
      'Records used',
      `${report.records.accepted} / ${report.records.lines}`,
      report.records.rejected > 0 ? 'warn' : '',
    ),
    card('Rows', String(report.rows)),
    card('Baseline', `<code>${escapeHtml(report.baseline.source)}</code>`, '', true),
    ...(report.inferenceTime
      ? [
          card(
            'Inference time',
            `${escapeHtml(report.inferenceTime.first)}<br>to ${escapeHtml(report.inferenceTime.last)}`,
            '',
            true,
          ),
        ]
      : []),
    '</section>',
    '<h2>Violations</h2>',
  ];
  if (report.violations.length === 0) {
    body.push('<p class="empty" id="violations">No constraint violations.</p>');
  } else {
    body.push(
      '<table id="violations"><thead><tr><th>Feature</th><th>Check</th><th>Description</th></tr></thead><tbody>',
      ...report.violations.map(
        (v) =>
          `<tr><td><code>${escapeHtml(v.feature_name)}</code></td><td><code>${v.constraint_check_type}</code></td><td>${escapeHtml(v.description)}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }

  body.push(
    '<h2>Data quality</h2>',
    '<section class="cards" id="data-quality">',
    ...CHECK_TYPES.map((type) => {
      const n = report.violations.filter((v) => v.constraint_check_type === type).length;
      return card(CHECK_LABELS[type], String(n), n > 0 ? 'warn' : 'good', false, type);
    }),
    card('Records rejected', String(report.records.rejected), report.records.rejected > 0 ? 'warn' : 'good'),
    '</section>',
    '<details><summary>Counts per column</summary>',
    '<table id="column-counts"><thead><tr><th>Column</th><th>Type</th><th class="num">Values</th><th class="num">Baseline values</th><th class="num">Missing</th><th class="num">Baseline missing</th><th>Violations</th></tr></thead><tbody>',
    ...columns.map(
      (f) =>
        `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${f.type}</td><td class="num">${f.count}</td><td class="num">${f.baselineCount}</td><td class="num">${percent(f.missingRate)}</td><td class="num">${percent(f.baselineMissingRate)}</td><td>${violationsOf(
          f.name,
        )
          .map((t) => `<span class="pill warn">${t}</span>`)
          .join(' ')}</td></tr>`,
    ),
    '</tbody></table></details>',
  );
  if (report.rejections.length > 0) {
    body.push(
      '<h2>Rejected records</h2>',
      '<table id="rejections"><thead><tr><th>File</th><th class="num">Line</th><th>Field</th><th>Reason</th></tr></thead><tbody>',
      ...report.rejections.map(
        (r) =>
          `<tr><td><code>${escapeHtml(r.file)}</code></td><td class="num">${r.line}</td><td>${r.field ? `<code>${escapeHtml(r.field)}</code>` : ''}</td><td>${escapeHtml(r.reason)}</td></tr>`,
      ),
      '</tbody></table>',
      ...(report.rejectionsTruncated > 0
        ? [`<p class="foot">and ${report.rejectionsTruncated} more rejected records</p>`]
        : []),
    );
  }

  body.push(
    `<h2>Features (${columns.length})</h2>`,
    '<p class="legend"><span><span class="swatch" style="background:#94a3b8"></span>baseline</span>' +
      '<span><span class="swatch" style="background:#2563eb"></span>current</span>' +
      '<span><span class="swatch" style="background:#dc2626"></span>current, drifted</span>' +
      '<span><span class="swatch" style="background:#f59e0b"></span>category unseen in the baseline</span>' +
      '<span>bars show the share of each side’s values</span></p>',
    '<section class="grid" id="features">',
    ...ordered.map((f) => featureCard(f, chartIndex.get(f.name), outputs.has(f.name))),
    '</section>',
    '<footer>',
    `Inputs (${report.inputs.length}): ${report.inputs
      .slice(0, 20)
      .map((i) => `<code>${escapeHtml(i)}</code>`)
      .join(' ')}${report.inputs.length > 20 ? ` and ${report.inputs.length - 20} more` : ''}<br>`,
    `Generated by driftwatch${options.generatedAt ? ` at ${escapeHtml(options.generatedAt.toISOString())}` : ''}. Drift methods and thresholds: docs/drift-methods.md.`,
    '</footer>',
    '</main>',
  );

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(`${verdictTitle}: ${title}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<script type="application/json" id="driftwatch-data">${scriptJson({ charts })}</script>`,
    `<script>${inlineScript(options.chartJs)}</script>`,
    `<script>${INIT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
