// Child process for memory figures: `node --expose-gc dist/bench/memory-child.js <module> <scenario> <items>`.
// Loads dist/bench/<module>.js, runs its memoryScenarios[<scenario>] and prints the Retained figures as JSON.
// Always: exits non-zero, naming the bad argument, when the module or the scenario does not exist.
import type { MemoryScenario } from './memory.js';
import { measureScenario } from './memory.js';

const [module = '', name = '', itemsText = ''] = process.argv.slice(2);
const items = Number(itemsText);
if (!/^[a-z-]+$/.test(module) || !Number.isSafeInteger(items) || items <= 0) {
  console.error(`usage: memory-child.js <module> <scenario> <items>: got module ${JSON.stringify(module)}, items ${JSON.stringify(itemsText)}`);
  process.exit(2);
}
const specifier: string = `./${module}.js`;
const loaded = (await import(specifier)) as { memoryScenarios?: Record<string, MemoryScenario> };
const scenario = loaded.memoryScenarios?.[name];
if (scenario === undefined) {
  console.error(`unknown memory scenario ${JSON.stringify(name)} in ${module}: choose from ${Object.keys(loaded.memoryScenarios ?? {}).join(', ')}`);
  process.exit(2);
}
console.log(JSON.stringify(await measureScenario(scenario, items)));
process.exit(0);
