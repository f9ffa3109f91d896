// The reference platform's feature definitions as data: one workspace with push sources (fed by the Stream
// Ingest API), an event stream (fed to the stream processor), the feature views they materialize and the
// feature services fvfs_1..3 that serve them. Built once at startup; lookups are Map reads.
// Always: ids are stable 32-hex-digit values derived from workspace, kind and name; names are unique per kind.
import { createHash } from 'node:crypto';

/** Value types of features and push-source columns, as Tecton names them. */
export type ValueType = 'string' | 'int64' | 'float64' | 'bool' | 'timestamp';

/** How a stream feature view computes a feature from the events of a micro-batch. */
export type Aggregation = { fn: 'count' } | { fn: 'last'; field: string };

export interface Feature {
  readonly name: string;
  readonly type: ValueType;
  /** Stream feature views only. */
  readonly aggregation?: Aggregation;
}

export interface FeatureView {
  readonly workspace: string;
  readonly name: string;
  readonly id: string;
  readonly joinKeys: readonly string[];
  readonly features: readonly Feature[];
  /** The push source or stream its rows come from. */
  readonly source: string;
  readonly kind: 'push' | 'stream';
  /** Whether ingested rows also go to the offline store. */
  readonly offline: boolean;
}

export interface PushSource {
  readonly name: string;
  readonly id: string;
  /** Every column a pushed record must have, no more. */
  readonly schema: readonly Feature[];
  readonly timestampField: string;
  readonly featureViews: readonly FeatureView[];
}

export interface FeatureService {
  readonly workspace: string;
  readonly name: string;
  readonly id: string;
  /** The union of its views' join keys, in first-seen order. */
  readonly joinKeys: readonly string[];
  readonly featureViews: readonly FeatureView[];
}

export interface Workspace {
  readonly name: string;
  readonly featureViews: ReadonlyMap<string, FeatureView>;
  readonly pushSources: ReadonlyMap<string, PushSource>;
  /** The stream the processor consumes and the feature views it materializes. */
  readonly stream: { readonly name: string; readonly featureViews: readonly FeatureView[] };
  readonly services: ReadonlyMap<string, FeatureService>;
  readonly servicesById: ReadonlyMap<string, FeatureService>;
}

type Column = readonly [name: string, type: ValueType];

const PUSH_SOURCES: readonly { name: string; schema: readonly Column[]; view: { name: string; joinKeys: readonly string[] } }[] = [
  {
    name: 'transactions',
    schema: [['user_id', 'string'], ['merchant', 'string'], ['amount', 'float64'], ['timestamp', 'timestamp']],
    view: { name: 'user_last_transaction', joinKeys: ['user_id'] },
  },
  {
    name: 'ad_clicks',
    schema: [['ad_id', 'string'], ['user_id', 'string'], ['position', 'int64'], ['timestamp', 'timestamp']],
    view: { name: 'ad_last_click', joinKeys: ['ad_id'] },
  },
];

const STREAM = {
  name: 'page_views',
  views: [
    {
      name: 'user_page_view_counts',
      joinKeys: ['user_id'],
      features: [
        { name: 'page_views', type: 'int64', aggregation: { fn: 'count' } },
        { name: 'last_ad_id', type: 'string', aggregation: { fn: 'last', field: 'ad_id' } },
      ],
    },
    { name: 'ad_impression_counts', joinKeys: ['ad_id'], features: [{ name: 'impressions', type: 'int64', aggregation: { fn: 'count' } }] },
  ],
} as const satisfies { name: string; views: readonly { name: string; joinKeys: readonly string[]; features: readonly Feature[] }[] };

const SERVICES: readonly { name: string; views: readonly string[] }[] = [
  { name: 'fvfs_1', views: ['user_last_transaction', 'user_page_view_counts'] },
  { name: 'fvfs_2', views: ['ad_last_click', 'ad_impression_counts'] },
  { name: 'fvfs_3', views: ['user_last_transaction', 'user_page_view_counts', 'ad_impression_counts'] },
];

/** The demo workspace (default name `prod`). */
export function demoWorkspace(name = 'prod'): Workspace {
  const featureViews = new Map<string, FeatureView>();
  const pushSources = new Map<string, PushSource>();
  for (const source of PUSH_SOURCES) {
    const schema = source.schema.map(([column, type]) => ({ name: column, type }));
    const features = schema.filter((column) => column.type !== 'timestamp' && !source.view.joinKeys.includes(column.name));
    const view = featureView(name, source.view.name, source.view.joinKeys, features, source.name, 'push');
    featureViews.set(view.name, view);
    pushSources.set(source.name, { name: source.name, id: tectonId(name, 'push_source', source.name), schema, timestampField: 'timestamp', featureViews: [view] });
  }
  const streamViews = STREAM.views.map((view) => featureView(name, view.name, view.joinKeys, view.features, STREAM.name, 'stream'));
  for (const view of streamViews) featureViews.set(view.name, view);
  const services = new Map<string, FeatureService>();
  const servicesById = new Map<string, FeatureService>();
  for (const definition of SERVICES) {
    const views = definition.views.map((viewName) => featureViews.get(viewName)!);
    const joinKeys = [...new Set(views.flatMap((view) => view.joinKeys))];
    const service = { workspace: name, name: definition.name, id: tectonId(name, 'feature_service', definition.name), joinKeys, featureViews: views };
    services.set(service.name, service);
    servicesById.set(service.id, service);
  }
  return { name, featureViews, pushSources, stream: { name: STREAM.name, featureViews: streamViews }, services, servicesById };
}

/** Tecton-style id: 32 hex digits, here a hash so the same definitions keep the same ids across runs. */
export function tectonId(workspace: string, kind: string, name: string): string {
  return createHash('sha256').update(`${workspace}/${kind}/${name}`).digest('hex').slice(0, 32);
}

function featureView(workspace: string, name: string, joinKeys: readonly string[], features: readonly Feature[], source: string, kind: 'push' | 'stream'): FeatureView {
  return { workspace, name, id: tectonId(workspace, 'feature_view', name), joinKeys, features, source, kind, offline: kind === 'push' };
}
