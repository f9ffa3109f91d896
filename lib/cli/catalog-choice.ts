// Which catalog a command runs with: a built-in version (lib/catalog/versions.ts), or a JSON file shaped like
// lib/catalog/catalog-0.7.ts. Runs once at startup. Always: an unknown version names the known ones.
import type { Catalog } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/catalog.js';
import { DEFAULT_CATALOG_VERSION, catalogFromFlag } from '../catalog/versions.js';
import { UsageError } from './verb.js';

/** `value` as a version (0.7, 0.9, 1.1) or a path to a catalog JSON file; undefined is the default, 0.7. */
export function chooseCatalog(value: string | undefined): Catalog {
  return catalogFromFlag(value ?? DEFAULT_CATALOG_VERSION);
}

/** The catalog with another window (and a slot that divides it), for short windows in tests and fleets. */
export function withWindow(catalog: Catalog, windowMs: number): Catalog {
  if (windowMs % 1000 !== 0) throw new UsageError(`invalid --window ${windowMs} ms: the catalog's windows are whole seconds`);
  const windowSeconds = windowMs / 1000;
  if (windowSeconds === catalog.windowSeconds) return catalog;
  const slotSeconds = windowSeconds % catalog.slotSeconds === 0 && windowSeconds >= 60 ? catalog.slotSeconds : 1;
  return loadCatalog({ version: catalog.version, windowSeconds, slotSeconds, metrics: catalog.metrics });
}
