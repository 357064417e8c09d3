/**
 * The editor-manners logic without an editor (issue #15): snooze timing with one re-armed timer,
 * usage figures kept in a local store, Esc dismissals blocking the settled re-trigger, and the
 * multi-root workspace's common parent.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { commonParent, ContextLayer } from '../../completion/contextLayer';
import { DismissalTracker } from '../../extension/dismissal';
import { Snooze, type SnoozeStore } from '../../extension/snooze';
import { describeUsage, UsageStats } from '../../extension/usageStats';

function memoryStore(): SnoozeStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => { data.set(k, v); } };
}

describe('snooze', () => {
  test('counts whole minutes down from the chosen length and ends by itself', async () => {
    let now = 1_000_000;
    let changes = 0;
    const s = new Snooze(memoryStore(), () => { changes++; }, () => now);
    assert.equal(s.active, false);
    await s.start(5);
    assert.equal(s.minutesLeft(), 5);
    now += 60_000 * 4 + 1;
    assert.equal(s.minutesLeft(), 1, 'rounded up until the very end');
    now += 60_000;
    assert.equal(s.active, false);
    assert.equal(changes, 1);
    s.dispose();
  });
  test('survives a reload (kept in the store) and resume ends it', async () => {
    const store = memoryStore();
    const first = new Snooze(store, () => {});
    await first.start(15);
    first.dispose();
    const again = new Snooze(store, () => {});
    assert.equal(again.minutesLeft(), 15);
    await again.resume();
    assert.equal(again.active, false);
    again.dispose();
  });
  test('the timer fires and re-renders (no polling interval)', async () => {
    let now = 0;
    let changes = 0;
    const s = new Snooze(memoryStore(), () => { changes++; }, () => now);
    await s.start(1);
    now = 60_000 - 20; // 20 ms before the end: the armed timer is the remainder
    (s as unknown as { arm(): void }).arm();
    await new Promise((r) => setTimeout(r, 80));
    now = 60_001;
    await new Promise((r) => setTimeout(r, 0));
    assert.ok(changes >= 2, `changes ${changes}`);
    s.dispose();
  });
});

describe('usage figures', () => {
  test('shown, accepted and characters, in total, per language and per model; reset starts over', async () => {
    const store = memoryStore();
    const u = new UsageStats(store, () => new Date('2026-12-04T00:00:00Z'));
    u.shown('typescript', 'tiny');
    u.shown('typescript', 'tiny');
    u.shown('python', 'qwen');
    u.accepted('typescript', 'tiny', 12);
    const f = u.read();
    assert.deepEqual(f.total, { shown: 3, accepted: 1, acceptedChars: 12 });
    assert.deepEqual(f.byLanguage.typescript, { shown: 2, accepted: 1, acceptedChars: 12 });
    assert.deepEqual(f.byModel.qwen, { shown: 1, accepted: 0, acceptedChars: 0 });
    await u.flush();
    const reloaded = new UsageStats(store);
    assert.deepEqual(reloaded.read().total, f.total, 'kept across a reload');
    assert.match(describeUsage(reloaded.read())[0], /3 shown, 1 accepted \(33%\), 12 characters/);
    await reloaded.reset();
    assert.deepEqual(reloaded.read().total, { shown: 0, accepted: 0, acceptedChars: 0 });
    assert.deepEqual(new UsageStats(store).read().byLanguage, {});
    u.dispose();
  });
  test('malformed stored figures count from zero', () => {
    const store = memoryStore();
    store.data.set('usageFigures', { total: { shown: 'x', accepted: -1 }, byLanguage: 7 });
    const u = new UsageStats(store);
    assert.deepEqual(u.read().total, { shown: 0, accepted: 0, acceptedChars: 0 });
    assert.deepEqual(u.read().byLanguage, {});
  });
});

describe('Esc dismissal', () => {
  const here = { uri: 'file:///a.ts', version: 3, offset: 40 };
  test('a partial suggestion may be completed where it was shown, once', () => {
    const d = new DismissalTracker();
    d.partialShown(here);
    assert.equal(d.allowsRetrigger(here), true);
    assert.equal(d.allowsRetrigger(here), false, 'once');
  });
  test('not after Esc, and not after the user moved or typed', () => {
    const d = new DismissalTracker();
    d.partialShown(here);
    d.dismissed(here);
    assert.equal(d.allowsRetrigger(here), false, 'dismissed');
    assert.equal(d.isDismissed(here), true);
    assert.equal(d.isDismissed({ ...here, version: 4 }), false, 'typing ends the dismissal');
    d.partialShown(here);
    assert.equal(d.allowsRetrigger({ ...here, offset: 41 }), false, 'moved');
    d.invoked();
    assert.equal(d.isDismissed(here), false, 'Alt+\\ asks again');
  });
});

describe('multi-root workspace', () => {
  test('index paths are relative to the folders\' common parent', () => {
    assert.equal(commonParent(['/w/one']), path.resolve('/w/one'));
    assert.equal(commonParent(['/w/one', '/w/two/sub']), path.resolve('/w'));
    const layer = new ContextLayer();
    layer.setWorkspaceFolders([{ root: '/w/one', name: 'one' }, { root: '/w/two', name: 'two' }]);
    assert.equal(layer.workspacePath('/w/one/src/a.ts'), 'one/src/a.ts');
    assert.equal(layer.workspacePath('/w/two/src/a.ts'), 'two/src/a.ts');
    assert.equal(layer.workspacePath('/w/three/a.ts'), undefined, 'outside every folder');
    layer.setWorkspaceFolders([{ root: '/w/one', name: 'one' }]);
    assert.equal(layer.workspacePath('/w/one/src/a.ts'), 'src/a.ts', 'one folder: as before');
    layer.dispose();
  });
});
