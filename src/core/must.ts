/**
 * A value the code's own invariants guarantee (an index computed from the same array, evidence a check declares in
 * `requires`, …): returned as is, or, should the invariant ever break, an error naming it instead of a later TypeError.
 */
export function must<T>(value: T | null | undefined, why: string): T {
  if (value === null || value === undefined) throw new Error(`invariant broken: ${why}`);
  return value;
}
