// Seeded mutation fuzzing: 20,000 damaged expositions, each parsed in both formats, must end in a result or a
// ParseError with a sane position, never any other exception. Seeds: hand-written expositions, omen's own
// conformance corpus and, when present, the upstream cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParseError, parse, type ParseFormat } from '../../lib/exposition/parse/parser.js';
import { ownCases, upstreamCases } from '../support/conformance.js';
import { prng } from '../support/prng.js';

const INPUTS = 20_000;

const SEEDS = [
  [
    '# TYPE rpc_seconds histogram',
    '# UNIT rpc_seconds seconds',
    '# HELP rpc_seconds RPC latency with "quotes" and \\\\ and \\n.',
    'rpc_seconds_bucket{path="/a",le="0.1"} 1 # {trace_id="ü😀"} 0.05 1520879607.789',
    'rpc_seconds_bucket{path="/a",le="+Inf"} 2',
    'rpc_seconds_count{path="/a"} 2',
    'rpc_seconds_sum{path="/a"} 0.3',
    'rpc_seconds_created{path="/a"} 1520430000.5',
    '# TYPE jobs counter',
    'jobs_total{q="a\\"b",r="} # {"} 3 1520879607',
    'jobs_created{q="a\\"b",r="} # {"} 1520879000 1520879607',
    '# TYPE state stateset',
    'state{state="up"} 1',
    'state{state="down"} 0',
    '# TYPE build info',
    'build_info{version="1.0"} 1',
    '# TYPE q summary',
    'q{quantile="0.5"} NaN',
    'q_sum 1e21',
    'q_count 7',
    '# TYPE g gaugehistogram',
    'g_bucket{le="-1.0"} 1',
    'g_bucket{le="+Inf"} 3',
    'g_gcount 3',
    'g_gsum -5',
    'plain{} -0',
    '# EOF',
    '',
  ].join('\n'),
  '# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{code="200",} 3 1692222226141\n  # comment\n\nlatency_bucket{le="+Inf"} 1\n',
];

const INTERESTING_BYTES = [0x0a, 0x20, 0x09, 0x23, 0x7b, 0x7d, 0x22, 0x5c, 0x2c, 0x3d, 0x0d, 0x00, 0xff, 0xc3, 0xed, 0xf0, 0x2b, 0x2d, 0x2e, 0x65];
const TOKENS = ['# EOF\n', 'NaN', '+Inf', '-Inf', '1e309', '0x1', '_total', '_bucket', ' # {a="b"} 1', '{le="+Inf"}', '\n# TYPE a counter\n', '\ufeff', '\r\n', '"', '\\'];

function seeds(): Uint8Array[] {
  const out: Uint8Array[] = SEEDS.map((text) => new TextEncoder().encode(text));
  for (const { input } of [...ownCases(), ...(upstreamCases() ?? [])]) out.push(input);
  return out;
}

function mutate(input: Uint8Array, next: () => number, pool: Uint8Array[]): Uint8Array {
  const int = (n: number): number => Math.floor(next() * n);
  let bytes = Array.from(input);
  const rounds = 1 + int(4);
  for (let r = 0; r < rounds; r++) {
    const at = int(bytes.length + 1);
    switch (int(8)) {
      case 0:
        if (at < bytes.length) bytes[at] = (bytes[at] as number) ^ (1 << int(8));
        break;
      case 1:
        bytes.splice(at, 0, INTERESTING_BYTES[int(INTERESTING_BYTES.length)] as number);
        break;
      case 2:
        bytes.splice(at, 1 + int(8));
        break;
      case 3:
        bytes.splice(at, 0, ...new TextEncoder().encode(TOKENS[int(TOKENS.length)]));
        break;
      case 4: {
        // Duplicate or move a whole line.
        const lines = splitLines(bytes);
        const line = lines[int(lines.length)] ?? [];
        lines.splice(int(lines.length + 1), 0, line);
        if (next() < 0.5) lines.splice(int(lines.length), 1);
        bytes = lines.flatMap((l) => [...l, 0x0a]);
        break;
      }
      case 5: {
        // Splice another exposition in.
        const other = Array.from(pool[int(pool.length)] ?? []);
        bytes = [...bytes.slice(0, at), ...other.slice(int(other.length + 1))];
        break;
      }
      case 6:
        bytes = bytes.slice(0, at);
        break;
      default:
        if (at < bytes.length) bytes[at] = int(256);
    }
  }
  return Uint8Array.from(bytes);
}

function splitLines(bytes: number[]): number[][] {
  const lines: number[][] = [[]];
  for (const b of bytes) {
    if (b === 0x0a) lines.push([]);
    else (lines[lines.length - 1] as number[]).push(b);
  }
  return lines;
}

test(`${INPUTS} mutated expositions each end in a result or a well-formed ParseError, in both formats`, () => {
  const next = prng(0xf022);
  const pool = seeds();
  const outcomes = { parsed: 0, rejected: 0 };
  const codes = new Set<string>();
  for (let i = 0; i < INPUTS; i++) {
    const input = mutate(pool[i % pool.length] as Uint8Array, next, pool);
    // Every fourth input goes in as a JS string, which can carry lone surrogates that bytes cannot.
    const asString = i % 4 === 0 ? String.fromCharCode(...Array.from(input, (b) => (b === 0xed ? 0xd800 : b))) : undefined;
    const lineCount = (asString ?? Buffer.from(input).toString('latin1')).split('\n').length;
    for (const format of ['openmetrics', 'prometheus'] as ParseFormat[]) {
      try {
        parse(asString ?? input, { format });
        outcomes.parsed++;
      } catch (error) {
        if (!(error instanceof ParseError)) {
          assert.unreachable(`input ${i} (${format}) threw ${String(error)}\n${JSON.stringify(Buffer.from(input).toString('latin1'))}`);
          return;
        }
        outcomes.rejected++;
        codes.add(error.code);
        const sane = error.line >= 1 && error.line <= lineCount + 1 && error.column >= 1 && error.message.startsWith(`line ${error.line}, column ${error.column}: `);
        if (!sane) assert.unreachable(`input ${i}: bad position in ${error.message} (${lineCount} lines)`);
      }
    }
  }
  // The mutations must reach both outcomes and many rules, or the fuzzer is only testing the first check.
  assert.ok(outcomes.parsed > INPUTS / 50, `only ${outcomes.parsed} inputs parsed`);
  assert.ok(codes.size >= 30, `only ${codes.size} distinct codes: ${[...codes].join(', ')}`);
});

test.run();
