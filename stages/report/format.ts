/**
 * Number formats shared by the report and the tests that read it back: fixed, locale-free, so the
 * same data always gives the same text.
 */

/** An estimate with at most one decimal (62.8, 1442.4, 74), as the coverage table prints it. */
export function oneDecimal(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Math.round(n * 10) / 10);
}

/** A share as a percentage with one decimal (23.4%). */
export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** A share of calls: like `percent`, but a small nonzero share reads "<0.1%", not "0.0%". */
export function share(p: number): string {
  return p > 0 && p < 0.0005 ? "<0.1%" : percent(p);
}

/** A count with thin grouping (1 029 061 → "1,029,061"). */
export function count(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Bytes in KiB/MiB/GiB with one decimal. */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}
