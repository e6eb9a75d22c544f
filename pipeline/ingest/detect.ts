/**
 * Checks a capture file's format from its content (`--format auto` recognises by content, not by
 * file name): strace, binary scap, and sysdig's text and JSON output.
 */
import { UsageError } from "../errors.ts";
import type { Format } from "./inputs.ts";
import type { ScanReply } from "./tasks.ts";

/** What the first bytes of a file look like. */
export function sniff(head: string, looksLikeStrace: boolean): Format | "empty" | "unknown" {
  if (head.length === 0) return "empty";
  if (head.startsWith("\n\r\r\n") || head.startsWith("\x0a\x0d\x0d\x0a")) return "scap";
  if (/^\{"evt\./.test(head)) return "sysdig-json";
  if (/^\d+ \d\d:\d\d:\d\d\.\d{9} \d+ /.test(head)) return "sysdig-text";
  if (looksLikeStrace) return "strace";
  return "unknown";
}

/** Throws a UsageError (exit 2) when `file` cannot be read as `format`. */
export function detectFormat(file: string, format: Format, first: ScanReply): void {
  const seen = first.native ?? sniff(first.head, first.looksLikeStrace);
  if (format === "strace" || seen === "empty") return;
  if ((seen === "scap" || seen.startsWith("sysdig-")) && (format === "auto" || format === seen)) return;
  if (format !== "auto") {
    throw new UsageError(`${file}: --format ${format} given, but the file looks like ${seen}`);
  }
  if (seen === "strace") return;
  if (seen === "unknown") {
    const preview = JSON.stringify(first.head.slice(0, 60));
    throw new UsageError(
      `${file}: not a recognised capture: no strace line in the first 200 lines (starts with ${preview}); use --format strace to ingest it anyway, every line then becomes a reject`,
    );
  }
  throw new UsageError(`${file}: looks like ${seen}, which this version cannot read`);
}
