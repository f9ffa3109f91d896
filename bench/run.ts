// Runs the benchmark groups and writes bench/RESULTS.md: `node --expose-gc dist/bench/run.js [group...]`.
// With no group named, every group runs and RESULTS.md is rewritten; with groups named, only those run and their
// tables are printed (RESULTS.md is left alone unless --write is given).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { GroupResult } from './report.js';
import { clusterGroup } from './cluster.js';
import { counterGroup } from './counter.js';
import { fleetGroup } from './fleet.js';
import { gaugeGroup } from './gauge.js';
import { histogramGroup } from './histogram.js';
import { httpGroup } from './http.js';
import { om2Group } from './om2.js';
import { nativeGroup } from './native.js';
import { numbersGroup } from './numbers.js';
import { parseGroup } from './parse.js';
import { rateGroup } from './rate.js';
import { runtimeGroup } from './runtime.js';
import { realisticGroup } from './realistic.js';
import { scrapeGroup } from './scrape.js';
import { summaryGroup } from './summary.js';
import { machine, renderGroup, renderResults } from './report.js';

const GROUPS: Record<string, () => Promise<GroupResult>> = {
  counter: counterGroup,
  gauge: gaugeGroup,
  histogram: histogramGroup,
  summary: summaryGroup,
  rate: rateGroup,
  scrape: scrapeGroup,
  realistic: realisticGroup,
  numbers: numbersGroup,
  parse: parseGroup,
  http: httpGroup,
  om2: om2Group,
  cluster: clusterGroup,
  native: nativeGroup,
  runtime: runtimeGroup,
  fleet: fleetGroup,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const named = args.filter((arg) => !arg.startsWith('--'));
  const unknown = named.filter((name) => !(name in GROUPS));
  if (unknown.length > 0) {
    console.error(`unknown benchmark group ${unknown.map((name) => JSON.stringify(name)).join(', ')}: choose from ${Object.keys(GROUPS).join(', ')}`);
    process.exit(2);
  }
  const selected = named.length > 0 ? named : Object.keys(GROUPS);
  const header = machine();
  const started = Date.now();
  const results: GroupResult[] = [];
  for (const name of selected) {
    const groupStart = Date.now();
    console.error(`bench: ${name}...`);
    const result = await GROUPS[name]!();
    result.notes.push(`Group took ${((Date.now() - groupStart) / 1000).toFixed(1)} s.`);
    results.push(result);
    console.log(`${renderGroup(result)}\n`);
  }
  const footer = [
    `Total time: ${((Date.now() - started) / 1000).toFixed(0)} s. Load average at end (1/5/15 min): ${loadavg().map((x) => x.toFixed(2)).join(' / ')}.`,
  ];
  if (named.length === 0 || write) {
    const path = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));
    writeFileSync(path, renderResults(results, header, footer));
    console.error(`bench: wrote ${path}`);
  }
  process.exit(0);
}

await main();
