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
  const patterns = [
    // C, C++, C#, Java: `Foo x =`, `Foo *x;`, `List<Foo> x,`, `(Foo x)`.
    new RegExp(`\\b(${WORD})${GENERIC}(?:\\[\\])?[\\s*&?]+${lead}${n}\\s*[=;,)]`, 'g'),
    // TypeScript, Python, Rust, Kotlin, Swift annotations: `x: Foo`, `x: &mut Foo`.
    new RegExp(`${lead}${n}\\??\\s*:\\s*[&*]?(?:mut\\s+)?(${WORD})`, 'g'),
    // Construction: `x = new Foo(`, `x := &Foo{`, `x = Foo(`, `x = Foo::new(`, Ruby `x = Foo.new`.
    new RegExp(`${lead}${n}\\s*:?=\\s*(?:new\\s+|&)?(${WORD})${GENERIC}\\s*(?:[({]|::new\\b|\\.new\\b)`, 'g'),
    // Go parameters and fields: `x *Foo,`, `x Foo)`.
    new RegExp(`${lead}${n}\\s+\\*?(${WORD})\\s*[,)\\n]`, 'g'),
  ];
  const found: { type: string; at: number }[] = [];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const type = m[1];
      if (type !== name && !isKeyword(type) && !/^(var|let|const|val|auto|dynamic|return|new|await|else|case|in|of|is|as)$/.test(type)) found.push({ type, at: m.index });
    }
  }
  const out: string[] = [];
  for (const f of found.sort((a, b) => b.at - a.at)) if (!out.includes(f.type) && out.length < MAX_TYPES) out.push(f.type);
  return out;
}
