/** Rows of a query over several images, cut per image. */

/** Rows grouped by their `image`, each group in query order. */
export function byImage<T extends { image: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.image) ?? [];
    list.push(r);
    out.set(r.image, list);
  }
  return out;
}
