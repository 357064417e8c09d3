/**
 * The type whose member the cursor is about to name. After `x.` (or `x->`, `x::`, `x?.`) the
 * next word is a member of x's type, and the windows usually say what that type is: a declaration
 * (`Foo x`, `Foo *x`, `x: Foo`, `var x = new Foo(`, `x := &Foo{`, `x = Foo.new`, a Go parameter
 * `x *Foo`), or x is the type itself (`KnownHeaders.`, `Formatting.`). Where the windows do not
 * say, a field's own declaration may (`self.parser = Parser()`, `Node *next;`).
 * Patterns on the text, not a parse: cheap on the keystroke path and fine for a guess that only
 * ranks snippets.
 */
import { isKeyword } from './identifiers';

const WORD = '[A-Za-z_$][\\w$]*';
const GENERIC = '(?:<[^<>\\n]*>)?';
/** At most this many type names per receiver (a name declared with several types in the windows). */
const MAX_TYPES = 3;
/** Words that stand where a type would, but are none. */
const NOT_TYPES = /^(var|let|const|val|auto|dynamic|return|new|await|else|case|in|of|is|as|out|ref|params)$/;

/** The receiver of a member access right before the cursor (the member's partial name ignored). */
export function receiverAt(prefix: string): string | undefined {
  const m = /(@{0,2}[A-Za-z_$][\w$]*)\s*(?:\?\.|\.|->|::)[\w$]*$/.exec(prefix.slice(-160));
  if (!m || /^(this|self|super|base|@)$/.test(m[1])) return undefined;
  return m[1];
}

/** Type names that `text` declares `name` with, nearest the end (the cursor) first. */
export function declaredTypes(text: string, name: string): string[] {
  const n = name.replace(/[$@]/g, (c) => `\\${c}`);
  const lead = name.startsWith('@') ? '' : '\\b';
  const declared = [
    // C, C++, C#, Java: `Foo x =`, `Foo *x;`, `List<Foo> x,`, `(Foo x)`.
    new RegExp(`\\b(${WORD})${GENERIC}(?:\\[\\])?[\\s*&?]+${lead}${n}\\s*[=;,)]`, 'g'),
    // TypeScript, Python, Rust, Kotlin, Swift annotations: `x: Foo`, `x: &mut Foo`.
    new RegExp(`${lead}${n}\\??\\s*:\\s*[&*]?(?:mut\\s+)?(${WORD})`, 'g'),
    // Construction: `x = new Foo(`, `x := &Foo{`, `x = Foo::new(`, Ruby `x = Foo.new`.
    new RegExp(`${lead}${n}\\s*:?=\\s*(?:new\\s+(${WORD})|&(${WORD})\\s*\\{|(${WORD}(?:::${WORD})*)(?:::new\\b|\\.new\\b))`, 'g'),
    // Go parameters and fields: `x *Foo,`, `x Foo)`.
    new RegExp(`${lead}${n}\\s+\\*?(${WORD})\\s*[,)\\n]`, 'g'),
  ];
  // `x = Foo(` is a constructor in Python and Kotlin, but a call in most languages: only when nothing else says.
  const called = [new RegExp(`${lead}${n}\\s*:?=\\s*([A-Z][\\w$]*)\\s*\\(`, 'g')];
  const found = matches(text, declared, name);
  return nearestFirst(found.length ? found : matches(text, called, name));
}

function matches(text: string, patterns: RegExp[], name: string): { type: string; at: number }[] {
  const found: { type: string; at: number }[] = [];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const type = m.slice(1).find((g) => g !== undefined)!.split('::').pop()!;
      if (type !== name && !isKeyword(type) && !NOT_TYPES.test(type)) found.push({ type, at: m.index });
    }
  }
  return found;
}

function nearestFirst(found: { type: string; at: number }[]): string[] {
  const out: string[] = [];
  for (const f of found.sort((a, b) => b.at - a.at)) if (!out.includes(f.type) && out.length < MAX_TYPES) out.push(f.type);
  return out;
}
