import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_ROWS, entityKey, OnlineStore } from '../../lib/platform/online-store.js';
import { demoWorkspace, tectonId } from '../../lib/platform/workspace.js';

const workspace = demoWorkspace();
const VIEW = workspace.featureViews.get('user_last_transaction')!;
const OTHER = workspace.featureViews.get('ad_last_click')!;

test('a write keeps the latest event time: equal or later replaces, earlier is refused', () => {
  const store = new OnlineStore();
  assert.ok(store.write(VIEW, 'u', ['a', 1], 100));
  assert.not.ok(store.write(VIEW, 'u', ['late', 0], 99));
  assert.ok(store.write(VIEW, 'u', ['b', 2], 100));
  assert.equal(store.read(VIEW, 'u'), { values: ['b', 2], eventTimeMs: 100 });
  assert.is(store.read(OTHER, 'u'), undefined, 'views do not share rows');
});

test('a view holds at most maxRowsPerView entities; the oldest written first is evicted', () => {
  const store = new OnlineStore({ maxRowsPerView: 2 });
  store.write(VIEW, 'a', [], 1);
  store.write(VIEW, 'b', [], 1);
  store.write(VIEW, 'a', [], 2); // an update, not a new entity
  store.write(VIEW, 'c', [], 1);
  assert.is(store.size(VIEW), 2);
  assert.is(store.read(VIEW, 'a'), undefined);
  assert.ok(store.read(VIEW, 'c'));
  assert.throws(() => new OnlineStore({ maxRowsPerView: 0 }), /invalid maxRowsPerView=0/);
});

test('the whole store holds at most maxRows entities; the fullest view gives up the entity it got first', () => {
  const store = new OnlineStore({ maxRows: 3 });
  store.write(VIEW, 'a', [], 1);
  store.write(VIEW, 'b', [], 1);
  store.write(OTHER, 'x', [], 1);
  store.write(OTHER, 'x', [], 2); // an update takes no room
  assert.is(store.rows, 3);
  store.write(OTHER, 'y', [], 1);
  assert.equal([store.size(VIEW), store.size(OTHER), store.rows], [1, 2, 3]);
  assert.is(store.read(VIEW, 'a'), undefined, 'the fullest view lost its first entity');
  assert.ok(store.read(VIEW, 'b'));
  for (let i = 0; i < 1000; i++) store.write(VIEW, `k${i}`, [], 1);
  assert.is(store.rows, 3, 'invented keys never grow it past the bound');
  assert.equal(new OnlineStore().maxRows, DEFAULT_MAX_ROWS);
  assert.throws(() => new OnlineStore({ maxRows: 0 }), /invalid maxRows=0/);
});

test('entity keys keep join-key values apart', () => {
  assert.is(entityKey(['u1']), 'u1');
  assert.is.not(entityKey(['a', 'bc']), entityKey(['ab', 'c']));
});

test('the demo workspace: three services over two push views and two stream views, with stable Tecton-style ids', () => {
  assert.equal([...workspace.services.keys()], ['fvfs_1', 'fvfs_2', 'fvfs_3']);
  assert.equal(workspace.services.get('fvfs_3')!.joinKeys, ['user_id', 'ad_id']);
  assert.equal(VIEW.features.map((feature) => feature.name), ['merchant', 'amount'], 'a push view serves its columns but keys and time');
  assert.equal(workspace.stream.featureViews.map((view) => view.name), ['user_page_view_counts', 'ad_impression_counts']);
  for (const service of workspace.services.values()) {
    assert.match(service.id, /^[0-9a-f]{32}$/);
    assert.is(workspace.servicesById.get(service.id), service);
  }
  assert.is(demoWorkspace().services.get('fvfs_1')!.id, workspace.services.get('fvfs_1')!.id, 'the same on every run');
  assert.is.not(tectonId('prod', 'feature_view', 'x'), tectonId('staging', 'feature_view', 'x'));
});

test.run();
