// A small file for the end-to-end tests: the harness types at its end.
export interface Person {
  name: string;
  age: number;
}

export function greet(person: Person): string {
  return `Hello, ${person.name}!`;
}

export function add(a: number, b: number): number {
  return a + b;
}

