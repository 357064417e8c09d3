/**
 * What the cursor is inside of, in terms of the file's definitions: the classes (structs, impls,
 * modules) around it, the types it belongs to (a Go method's receiver, a C++ `Foo::bar` body)
 * and the bases those classes name in their headers. Code in a method mostly uses the members
 * of its own class and of its bases (`self.x`, `this.y`, a receiver's fields), which the prompt
 * windows rarely show when the class is long.
 */
import { identifiersIn } from './identifiers';
import { CONTAINER_KINDS } from './outline';
import type { FileEntry } from './workspaceIndex';

export interface EnclosingScope {
  /** Indexes (in file.defs) of the containers spanning the row, outermost first. */
  containers: number[];
  /** Names of the types the code at the row belongs to (containers and owners), innermost last. */
  types: string[];
  /** Other names in those containers' headers: base classes, implemented interfaces, mixins. */
  bases: string[];
}

const MAX_BASES = 6;

export function enclosingScope(file: FileEntry, row: number): EnclosingScope {
  const scope: EnclosingScope = { containers: [], types: [], bases: [] };
  file.defs.forEach((d, i) => {
    if (d.line > row || d.endLine < row) return;
    if (CONTAINER_KINDS.has(d.kind)) {
      scope.containers.push(i);
      if (!scope.types.includes(d.name)) scope.types.push(d.name);
    } else if (d.owner && !scope.types.includes(d.owner)) {
      scope.types.push(d.owner);
    }
  });
  for (const i of scope.containers) {
    const def = file.defs[i];
    const header = def.header ?? def.text.split('\n')[0];
    for (const name of identifiersIn(header).keys()) {
      if (scope.bases.length < MAX_BASES && name !== def.name && !scope.types.includes(name) && !scope.bases.includes(name)) scope.bases.push(name);
    }
  }
  return scope;
}
