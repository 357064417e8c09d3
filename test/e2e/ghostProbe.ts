/**
 * The page-side ghost-text probe of the GUI e2e cases and the editor bench: it records every
 * keydown, every change of the rendered ghost text and labelled marks on the page's clock, so
 * key-to-ghost times are measured where the user sees them.
 */
import type { Page } from 'playwright-core';

/**
 * Functions passed to page.evaluate run in the browser. The project compiles without the DOM lib
 * (adding it would change the globals of every file), so page code reaches the DOM through this
 * untyped handle.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dom = any;

/**
 * Installs page-side probes: every keydown (time and key), every change of the ghost text, and
 * marks the caller sets (`markProbe`) to tell which keys belong to which part of a script.
 */
export async function installGhostProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w: Dom = globalThis;
    if (w.__e2eGhost) return;
    // Ghost text on the cursor's line is an injected-text decoration, split into one span per
    // syntax token (all with class ghost-text-decoration): join those without separator. Further
    // lines (multi-line completions) live in a `.ghost-text` view zone, one `.view-line` each.
    const read = (): string => {
      const doc = w.document;
      const inline = Array.from(doc.querySelectorAll('.monaco-editor .ghost-text-decoration') as ArrayLike<Dom>)
        .map((e) => e.textContent ?? '')
        .join('');
      const blocks = Array.from(doc.querySelectorAll('.monaco-editor .ghost-text') as ArrayLike<Dom>).map((b) => {
        const lines: Dom[] = Array.from(b.querySelectorAll('.view-line'));
        return lines.length ? lines.map((l) => l.textContent ?? '').join('\n') : (b.textContent ?? '');
      });
      return [inline, ...blocks.filter((t) => t !== '')].join('\n');
    };
    const st = {
      lastKey: 0, events: [] as { t: number; text: string }[], prev: '', read,
      keys: [] as { t: number; key: string }[], marks: [] as { t: number; label: string }[],
    };
    w.__e2eGhost = st;
    w.addEventListener('keydown', (e: Dom) => {
      st.lastKey = performance.now();
      st.keys.push({ t: st.lastKey, key: String(e.key) });
    }, true);
    new w.MutationObserver(() => {
      const text = read();
      if (text !== st.prev) {
        st.prev = text;
        st.events.push({ t: performance.now(), text });
      }
    }).observe(w.document.body, { subtree: true, childList: true, characterData: true });
  });
}

interface ProbeState {
  lastKey: number;
  now: number;
  current: string;
  /** first ghost-text change after the last keydown that left non-empty ghost text */
  firstAfterKey: { t: number; text: string } | null;
  /** ghost text that was visible at the last keydown and was kept (typed through) */
  visibleAtKey: boolean;
}

export async function readProbe(page: Page): Promise<ProbeState> {
  return page.evaluate(() => {
    const st = (globalThis as Dom).__e2eGhost as {
      lastKey: number; events: { t: number; text: string }[]; read: () => string;
    };
    const visible = (s: string) => s.replace(/[\s\u00a0]/g, '') !== '';
    const before = st.events.filter((e) => e.t < st.lastKey);
    const firstAfterKey = st.events.find((e) => e.t >= st.lastKey && visible(e.text)) ?? null;
    return {
      lastKey: st.lastKey,
      now: performance.now(),
      current: st.read(),
      firstAfterKey,
      visibleAtKey: before.length > 0 && visible(before[before.length - 1].text),
    };
  });
}

/** Everything the probe recorded, on the page's clock (ms). */
export interface ProbeLog {
  keys: { t: number; key: string }[];
  events: { t: number; text: string }[];
  marks: { t: number; label: string }[];
  now: number;
}

/** Records a labelled moment on the page's clock (e.g. "the keys from here on type at a new place"). */
export async function markProbe(page: Page, label: string): Promise<number> {
  return page.evaluate((l: string) => {
    const st = (globalThis as Dom).__e2eGhost as { marks: { t: number; label: string }[] };
    const t = performance.now();
    st.marks.push({ t, label: l });
    return t;
  }, label);
}

export async function readProbeLog(page: Page): Promise<ProbeLog> {
  return page.evaluate(() => {
    const st = (globalThis as Dom).__e2eGhost as ProbeLogState;
    return { keys: st.keys, events: st.events, marks: st.marks, now: performance.now() };
  });
}
type ProbeLogState = Omit<ProbeLog, 'now'>;

/** HTML of the editor lines and view zones that hold ghost text (kept with the case's files for diagnosis). */
export async function ghostDom(page: Page): Promise<string> {
  return page.evaluate(() => {
    const doc: Dom = (globalThis as Dom).document;
    const els: Dom[] = Array.from(doc.querySelectorAll('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text'));
    const hosts = new Set<Dom>(els.map((e) => e.closest('.view-line') ?? e.closest('.view-zones > *') ?? e));
    return Array.from(hosts).map((h) => h.outerHTML).join('\n\n');
  });
}
