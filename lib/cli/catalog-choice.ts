// Which catalog a command runs with: a built-in version by number, or a JSON file shaped like
// lib/catalog/catalog-0.7.ts. Runs once at startup. Always: an unknown version names the known ones.
import type { Catalog } from '../catalog/catalog.js';
import { CATALOG_0_7 } from '../catalog/catalog-0.7.js';
import { loadCatalog, loadCatalogFile } from '../catalog/catalog.js';
import { UsageError } from './verb.js';

/** The built-in catalogs by version; a version added in lib/catalog/ gets its line here. */
export const BUILT_IN_CATALOGS: Readonly<Record<string, unknown>> = Object.freeze({ '0.7': CATALOG_0_7 });

/** `value` as a version (`0.7`) or a path to a catalog JSON file; undefined is the default, 0.7. */
export function chooseCatalog(value: string | undefined): Catalog {
  if (value === undefined) return loadCatalog(CATALOG_0_7);
  if (Object.hasOwn(BUILT_IN_CATALOGS, value)) return loadCatalog(BUILT_IN_CATALOGS[value]);
  if (/^\d+(\.\d+)*$/.test(value)) {
    throw new UsageError(`invalid --catalog ${JSON.stringify(value)}: built-in versions are ${Object.keys(BUILT_IN_CATALOGS).join(', ')}, or pass a catalog JSON file`);
  }
  return loadCatalogFile(value);
}

/** The catalog with another window (and a slot that divides it), for short windows in tests and fleets. */
export function withWindow(catalog: Catalog, windowMs: number): Catalog {
  if (windowMs % 1000 !== 0) throw new UsageError(`invalid --window ${windowMs} ms: the catalog's windows are whole seconds`);
  const windowSeconds = windowMs / 1000;
  if (windowSeconds === catalog.windowSeconds) return catalog;
  const slotSeconds = windowSeconds % catalog.slotSeconds === 0 && windowSeconds >= 60 ? catalog.slotSeconds : 1;
  return loadCatalog({ version: catalog.version, windowSeconds, slotSeconds, metrics: catalog.metrics });
}
