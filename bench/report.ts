// Result rows and their rendering into bench/RESULTS.md: per group one table of medians (with the spread across
// rounds), the peer's figure, the floor, the ratio, the goal and whether it is met. No timing happens here.
// Always: a row that has a goal says met or not met; a row without one says it is informational.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Stat } from './harness.js';
import { PEER_NAME, PEER_VERSION } from './peer.js';

/** A figure with the spread it moved over while measured (low/high: per-round medians). */
export interface Figure {
  value: number;
  low?: number;
  high?: number;
}

export interface Row {
  operation: string;
  unit: string;
  omen: Figure;
  peer?: Figure;
  floor?: Figure;
  /** What the floor is, when there is one. */
  floorName?: string;
  /** Ratios as prose: `52× faster than prom-client; 1.4× the floor`. */
  ratio: string;
  goal: string;
  /** undefined: no goal for this row (informational). */
  met: boolean | undefined;
}

export interface GroupResult {
  group: string;
  title: string;
  rows: Row[];
  notes: string[];
}

export function fromStat(stat: Stat, scale = 1): Figure {
  return { value: stat.median * scale, low: stat.low * scale, high: stat.high * scale };
}

/** `3.1` / `1,234` / `0.052`: three significant digits, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

export function formatFigure(figure: Figure | undefined): string {
  if (figure === undefined) return '—';
  const spread = figure.low !== undefined && figure.high !== undefined ? ` (${formatNumber(figure.low)}–${formatNumber(figure.high)})` : '';
  return `${formatNumber(figure.value)}${spread}`;
}

/** `52×` from a ratio. */
export function times(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(ratio >= 2 ? 1 : 2)}×`;
}

export function machine(): string[] {
  const cpu = cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'} (${cpu[0]?.speed ?? '?'} MHz), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}`,
    `- Node ${process.version} (V8 ${process.versions.v8}), ${process.execArgv.join(' ') || 'no flags'}`,
    `- Code: ${revision()}`,
    `- Peer: ${PEER_NAME} ${PEER_VERSION}, same process, alternating order`,
    `- Load average at start (1/5/15 min): ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`,
  ];
}

// The commit measured, and whether lib/ differed from it (others' uncommitted edits are compiled in too).
function revision(): string {
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'lib'], { cwd, encoding: 'utf8' }).trim();
    return `commit ${commit}${dirty === '' ? ', lib/ as committed' : ', with uncommitted changes in lib/ (not a committed state)'}`;
  } catch {
    return 'not a git checkout';
  }
}

export function renderGroup(result: GroupResult): string {
  const lines = [`## ${result.title}`, '', `| operation | unit | omen | ${PEER_NAME} | floor | ratio | goal | met |`, '|---|---|---|---|---|---|---|---|'];
  for (const row of result.rows) {
    const floor = row.floor === undefined ? '—' : `${formatFigure(row.floor)}${row.floorName !== undefined ? ` (${row.floorName})` : ''}`;
    const met = row.met === undefined ? 'info' : row.met ? '**yes**' : '**no**';
    lines.push(`| ${row.operation} | ${row.unit} | ${formatFigure(row.omen)} | ${formatFigure(row.peer)} | ${floor} | ${row.ratio} | ${row.goal} | ${met} |`);
  }
  if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

export function renderResults(results: readonly GroupResult[], header: readonly string[], footer: readonly string[]): string {
  const met = results.flatMap((r) => r.rows).filter((row) => row.met !== undefined);
  const summary = `Goals met: ${met.filter((row) => row.met).length} of ${met.length}.`;
  return [
    '# omen benchmarks',
    '',
    'Written by `make bench` (`node --expose-gc dist/bench/run.js`); one group: `node --expose-gc dist/bench/run.js <group>`.',
    'Figures are medians over all samples; in parentheses the lowest and highest per-round median (rounds alternate',
    'the contenders\' order), which shows how much the shared machine moved the figure while it was measured.',
    '',
    ...header,
    '',
    summary,
    '',
    ...results.map(renderGroup).flatMap((text) => [text, '']),
    ...footer,
    '',
  ].join('\n');
}
