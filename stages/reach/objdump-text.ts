/**
 * What both objdump readers (x86_64 AT&T, aarch64) share about objdump's `-d` text: the line
 * shapes, which lines carry no code, and splitting an operand list at its top-level commas.
 */

/** `  401000:\t<bytes>\t<insn>`: the address and the rest. */
export const INSN = /^\s*([0-9a-f]+):\t(.*)$/;
/** `0000000000401000 <name>:` */
export const LABEL = /^([0-9a-f]+) <(.+)>:$/;

/** A line that is neither an instruction nor a label and is not one of objdump's own headers. */
export function isOtherLine(line: string): boolean {
  const t = line.trim();
  return (
    t !== "" && !line.startsWith("Disassembly of section") && !/:\s+file format /.test(line) && t !== "..."
  );
}

/** Splits `code` at commas outside the bracket pairs `open[i]`…`close[i]`, each part trimmed. */
export function splitTopLevel(code: string, open: string, close: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of code) {
    if (open.includes(ch)) depth++;
    else if (close.includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The names of libc's `syscall()` wrapper as objdump prints a call of it (PLT or versioned). */
export const WRAPPERS = /^(syscall|__syscall)(@plt|@@?GLIBC[\w.]*)?$/;

/** What a direct branch adds to a scan (the fields of objdump.ts's Scan it writes). */
interface BranchSink {
  edges: number[];
  edgeKinds: number[];
  pltCalls: { from: number; name?: string; got?: number }[];
  jumpTargets: Set<number>;
  sites: { push(site: { addr: number; kind: "wrapper"; index: number }): number };
}

/**
 * Records a direct branch from `addr` (instruction `index`) to `to`, objdump's `<name>` beside it:
 * a call through the PLT is an imported call, not an edge; a call of syscall() is a wrapper site.
 * `kind`: 0 call, 1 unconditional jump, 2 conditional.
 */
export function recordDirect(
  scan: BranchSink,
  addr: number,
  index: number,
  to: number,
  name: string | undefined,
  kind: 0 | 1 | 2,
): void {
  const isCall = kind === 0;
  if (isCall && name !== undefined && WRAPPERS.test(name)) scan.sites.push({ addr, kind: "wrapper", index });
  if (name !== undefined && name.endsWith("@plt") && !name.includes("+0x") && !name.startsWith("*ABS*")) {
    scan.pltCalls.push({ from: addr, name: name.slice(0, -4) });
    return;
  }
  scan.edges.push(addr, to);
  scan.edgeKinds.push(kind);
  if (!isCall) scan.jumpTargets.add(to);
}
