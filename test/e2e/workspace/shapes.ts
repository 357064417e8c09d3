// The next-edit e2e case renames the parameter `w` of area() and follows it to its uses.
export function area(w: number, h: number): number {
  const doubled = w * 2;
  return doubled * h + w;
}
