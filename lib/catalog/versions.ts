// The built-in catalog versions by name, for `omen serve --catalog 0.9` and instrumentCatalog callers.
// Runs once at startup (each version is validated on its first lookup, then kept). Always: a name that is
// not a built-in version is an error naming it and the versions there are.
import type { Catalog } from './catalog.js';
import { existsSync } from 'node:fs';
import { CATALOG_0_7 } from './catalog-0.7.js';
import { CATALOG_0_9 } from './catalog-0.9.js';
import { CATALOG_1_1 } from './catalog-1.1.js';
import { CatalogError, loadCatalog, loadCatalogFile } from './catalog.js';

/** Each built-in version's data, oldest first; 0.7 is the default. */
export const CATALOGS = { '0.7': CATALOG_0_7, '0.9': CATALOG_0_9, '1.1': CATALOG_1_1 } as const;
export type CatalogVersion = keyof typeof CATALOGS;
export const CATALOG_VERSIONS = Object.keys(CATALOGS) as readonly CatalogVersion[];
export const DEFAULT_CATALOG_VERSION: CatalogVersion = '0.7';

const loaded = new Map<CatalogVersion, Catalog>();

export function isCatalogVersion(value: string): value is CatalogVersion {
  return Object.hasOwn(CATALOGS, value);
}

/** The built-in catalog `version`, validated; throws CatalogError naming the version and the allowed ones. */
export function catalogVersion(version: string): Catalog {
  if (!isCatalogVersion(version)) {
    throw new CatalogError(`unknown catalog version ${JSON.stringify(version)}: the built-in versions are ${CATALOG_VERSIONS.join(', ')}; for another, pass a JSON file shaped like lib/catalog/catalog-0.7.ts`);
  }
  let catalog = loaded.get(version);
  if (catalog === undefined) loaded.set(version, (catalog = loadCatalog(CATALOGS[version])));
  return catalog;
}

/**
 * What `--catalog VALUE` names: a built-in version, else a catalog JSON file. A version-like value that is
 * neither (`0.8` with no such file) is refused as an unknown version, which says more than "no such file".
 */
export function catalogFromFlag(value: string): Catalog {
  if (isCatalogVersion(value) || (/^\d+(\.\d+)+$/.test(value) && !existsSync(value))) return catalogVersion(value);
  return loadCatalogFile(value);
}
