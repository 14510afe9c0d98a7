// A check report as a student or instructor reads it: in a terminal, as a self-contained HTML page to
// hand in or show (inline style, no script, nothing fetched), and as Markdown. All three are drawn from
// the same CheckReport fields; the evidence (every byte as received, text and hex) is in the page and the
// Markdown in full, and summarised in the terminal.

import type { CheckEvidence, CheckReport, CheckResult } from '@shared/contract'
import { formatEndpoint } from '@shared/endpoint'

const MARK = { pass: 'pass', fail: 'FAIL', na: ' -- ' }

function mark(ok: boolean | null): string {
  return ok === true ? MARK.pass : ok === false ? MARK.fail : MARK.na
}

export function targetText(report: CheckReport): string {
  const t = report.target
  const cmd = t.command ? ` (started: ${t.command.join(' ')})` : ''
  if (report.kind === 'server')
    return `the ${report.question} server at ${formatEndpoint({ address: t.host ?? '?', port: t.port })}${cmd}`
  return `${report.question} clients on port ${t.port}${cmd}`
}

export function verdictLine(report: CheckReport): string {
  const na = report.checks.length - report.passed - report.failed
  const requiredFailed = report.checks.filter((c) => c.required && c.ok === false).length
  const counts = `${report.passed} passed, ${report.failed} failed, ${na} not applicable`
  if (report.ok) return `Result: PASS: every required check passed (${counts}).`
  return `Result: FAIL: ${requiredFailed} required check${requiredFailed === 1 ? '' : 's'} failed (${counts}).`
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n')
}

/** The report for a terminal: one line per check, the detail and the fix under each failure. */
export function textReport(report: CheckReport): string {
  const out: string[] = [`SocketLab check: ${targetText(report)}`]
  const width = Math.max(...report.checks.map((c) => c.id.length))
  for (const c of report.checks) {
    const req = c.required ? '' : ' (optional)'
    out.push(`  ${mark(c.ok)}  ${c.id.padEnd(width)}  ${c.title}${req}`)
    if (c.ok !== true || c.detail) out.push(indent(c.detail, `          ${' '.repeat(width)}`))
    if (c.ok === false && c.fix) out.push(indent(`Fix: ${c.fix}`, `          ${' '.repeat(width)}`))
  }
  if (report.diagnosis) {
    out.push('', `Connection doctor: ${report.diagnosis.summary}`)
    report.diagnosis.steps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`))
  }
  out.push('', verdictLine(report))
  return out.join('\n')
}

function esc(text: string): string {
  let out = ''
  for (const ch of text) {
    if (ch === '&') out += '&amp;'
    else if (ch === '<') out += '&lt;'
    else if (ch === '>') out += '&gt;'
    else if (ch === '"') out += '&quot;'
    else out += ch
  }
  return out
}

/** Inline `code` spans of a detail line as <code>, the rest escaped. */
function inline(text: string): string {
  const parts = text.split('`')
  return parts.map((p, i) => (i % 2 ? `<code>${esc(p)}</code>` : esc(p))).join('')
}

const DIR_TEXT: Record<CheckEvidence['dir'], string> = {
  out: 'SocketLab → program',
  in: 'program → SocketLab',
  event: 'event',
  stdin: 'keyboard → program',
  stdout: 'program printed',
  stderr: 'program printed (stderr)',
}

function evidenceWhat(e: CheckEvidence): string {
  if (e.dir !== 'event') return ''
  const parts: string[] = [e.event ?? '']
  if (e.local) parts.push(`local ${formatEndpoint(e.local)}`)
  if (e.remote) parts.push(`remote ${formatEndpoint(e.remote)}`)
  if (e.code) parts.push(e.code)
  return parts.join(', ')
}

function htmlEvidence(list: CheckEvidence[]): string {
  if (!list.length) return '<p class="none">No bytes were exchanged for this check.</p>'
  const rows = list.map((e) => {
    const what = e.data
      ? `<pre>${esc(e.data.text)}</pre><div class="hex">${esc(e.data.hex)}${e.data.size > (e.data.hex.length + 1) / 3 ? ' …' : ''}</div><div class="size">${e.data.size} bytes</div>`
      : esc(evidenceWhat(e))
    return `<tr class="${e.dir}"><td>${(e.t / 1000).toFixed(3)} s</td><td>#${e.conn}</td><td>${esc(DIR_TEXT[e.dir])}</td><td>${what}</td></tr>`
  })
  return `<table class="evidence"><thead><tr><th>time</th><th>conn</th><th>direction</th><th>bytes (text, hex)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function htmlCheck(c: CheckResult): string {
  const cls = c.ok === true ? 'pass' : c.ok === false ? 'fail' : 'na'
  const fix = c.ok === false && c.fix ? `<p class="fix"><b>What to change:</b> ${inline(c.fix)}</p>` : ''
  return `<details class="check ${cls}"${c.ok === false ? ' open' : ''}><summary><span class="mark">${mark(c.ok).trim() || 'n/a'}</span> <code>${esc(c.id)}</code> ${esc(c.title)}${c.required ? '' : ' <i>(optional)</i>'}</summary><p>${inline(c.detail)}</p>${fix}${htmlEvidence(c.evidence)}</details>`
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#1b1f24}
h1{font-size:1.4em}.verdict{font-weight:bold;padding:.5em .8em;border-radius:6px}.verdict.pass{background:#dcfce7}.verdict.fail{background:#fee2e2}
details.check{border:1px solid #d0d7de;border-radius:6px;margin:.5em 0;padding:.4em .8em}details.check summary{cursor:pointer}
.mark{display:inline-block;min-width:3em;font-weight:bold}.pass .mark{color:#15803d}.fail .mark{color:#b91c1c}.na .mark{color:#6b7280}
.fix{background:#fff7ed;padding:.4em .6em;border-radius:4px}table.evidence{border-collapse:collapse;width:100%;font-size:13px}
table.evidence td,table.evidence th{border-top:1px solid #e5e7eb;padding:.2em .4em;vertical-align:top;text-align:left}
pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:13px}.hex{font-family:monospace;color:#6b7280;word-break:break-all}
.size{color:#9ca3af;font-size:12px}tr.in td{background:#f0f9ff}tr.out td{background:#fefce8}code{background:#f3f4f6;padding:0 .2em;border-radius:3px}
.doctor{border-left:4px solid #f59e0b;padding:.2em 1em}`

/** A self-contained HTML page: inline style, no script, nothing loaded from anywhere. */
export function htmlReport(report: CheckReport): string {
  const doctor = report.diagnosis
    ? `<section class="doctor"><h2>Connection doctor</h2><p>${inline(report.diagnosis.summary)}</p><ol>${report.diagnosis.steps.map((s) => `<li>${inline(s)}</li>`).join('')}</ol></section>`
    : ''
  const when = new Date(report.startedAt).toISOString()
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>SocketLab check: ${esc(report.question)}</title><style>${STYLE}</style></head>
<body><h1>SocketLab check: ${esc(targetText(report))}</h1>
<p>Checked ${esc(when)}, in ${(report.durationMs / 1000).toFixed(1)} s.</p>
<p class="verdict ${report.ok ? 'pass' : 'fail'}">${esc(verdictLine(report))}</p>
${doctor}
${report.checks.map(htmlCheck).join('\n')}
</body></html>
`
}

function mdCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function fence(text: string): string {
  let ticks = '```'
  while (text.includes(ticks)) ticks += '`'
  return `${ticks}\n${text}\n${ticks}`
}

/** The same report as Markdown: a table of checks, then each check with its evidence. */
export function markdownReport(report: CheckReport): string {
  const out: string[] = [`# SocketLab check: ${targetText(report)}`, '', `**${verdictLine(report)}**`, '']
  out.push('| | id | check | detail |', '|---|---|---|---|')
  for (const c of report.checks)
    out.push(
      `| ${mark(c.ok).trim() || 'n/a'} | \`${c.id}\` | ${mdCell(c.title)}${c.required ? '' : ' (optional)'} | ${mdCell(c.detail)} |`,
    )
  if (report.diagnosis) {
    out.push('', '## Connection doctor', '', report.diagnosis.summary, '')
    report.diagnosis.steps.forEach((s, i) => out.push(`${i + 1}. ${s}`))
  }
  for (const c of report.checks) {
    out.push('', `## ${mark(c.ok).trim() || 'n/a'} \`${c.id}\`: ${c.title}`, '', c.detail)
    if (c.ok === false && c.fix) out.push('', `**What to change:** ${c.fix}`)
    if (c.evidence.length) {
      const lines = c.evidence.map((e) => {
        const head = `${(e.t / 1000).toFixed(3)} s  #${e.conn}  ${DIR_TEXT[e.dir]}`
        return e.data ? `${head}  ${JSON.stringify(e.data.text)}  [${e.data.hex}]` : `${head}  ${evidenceWhat(e)}`
      })
      out.push('', fence(lines.join('\n')))
    }
  }
  return `${out.join('\n')}\n`
}

/** The report as `--json` writes it: the documented shape first, then the rest (kind, ok, timings, the doctor's diagnosis). */
export function jsonReport(report: CheckReport): string {
  const { question, target, checks, passed, failed, ...rest } = report
  return `${JSON.stringify({ question, target, checks, passed, failed, ...rest }, null, 2)}\n`
}
