/**
 * The sysdig text (`-p` default, `-pc`) and `-j` JSON readers on sysdig 0.29.3's outputs give the
 * same `events` rows as the binary reader on the same capture, apart from what the text does not
 * carry (listed in TEXT_LACKS).
 */
import type { RecordBatch } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { SysdigParser } from "../../stages/sysdig/parser.ts";
import { CAPTURES, capture, expected, scapAvailability } from "../scap/captures.ts";

const COLUMNS = [
  "syscall",
  "tid",
  "nr",
  "ret",
  "errno",
  "errno_name",
  "arg0",
  "arg1",
  "arg2",
  "arg3",
  "arg4",
  "arg5",
  "duration_ns",
  "unfinished",
  "comm",
  "sa_family",
  "path",
  "path2",
] as const;

/** What sysdig's text does not carry, by capture and event number: the differences allowed. */
const TEXT_LACKS: readonly { capture: string; seq: number; columns: string[]; why: string }[] = [
  {
    capture: "falcosecurity-falco/cat_write.scap",
    seq: 200,
    columns: ["syscall", "nr"],
    why: "a generic event with PPM_SC 0: the text prints <unknown>, the binary's nativeID (221) names it fadvise64",
  },
];

function rows(rb: RecordBatch): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rb.numRows; i++) out.push(rb.get(i)!.toJSON() as Record<string, unknown>);
  return out;
}

const DAY = 86400000000000n;
/** Rows match by thread and time of day (text has no date; event numbers differ where sysdig 0.29.3 skipped unknown types). */
const key = (r: Record<string, unknown>): string => `${r.tid} ${BigInt(r.ts_ns as bigint) % DAY}`;

function compare(rel: string, suffix: string, format: "sysdig-text" | "sysdig-json"): string[] {
  const bin = new EventBatch();
  new ScapParser({ capture: rel, arch: "x86_64", phase: "unknown" }, bin).parse(capture(rel));
  const txt = new EventBatch();
  const p = new SysdigParser({ capture: rel, arch: "x86_64", phase: "unknown", format }, txt);
  p.parse(expected(rel, suffix)!);
  expect(p.rejects).toEqual([]);
  const a = rows(bin.toRecordBatch());
  const b = rows(txt.toRecordBatch());
  expect(b.length).toBe(a.length);
  const byKey = new Map(a.map((r) => [key(r), r]));
  const diffs: string[] = [];
  for (const r of b) {
    const o = byKey.get(key(r));
    if (o === undefined) {
      diffs.push(`${r.seq} missing`);
      continue;
    }
    if (format === "sysdig-json") expect(r.ts_ns).toBe(o.ts_ns); // exact ns from -j
    for (const c of COLUMNS) if (String(o[c]) !== String(r[c])) diffs.push(`${o.seq} ${c}`);
  }
  return diffs;
}

describe.skipIf(scapAvailability.skipReason !== null)(
  "sysdig text and JSON readers vs the binary reader",
  () => {
    for (const rel of CAPTURES) {
      if (expected(rel, ".txt") === null || expected(rel, ".txt") === "") continue;
      it(`${rel}: text rows equal binary rows`, () => {
        const allowed = TEXT_LACKS.filter((d) => d.capture === rel).flatMap((d) =>
          d.columns.map((c) => `${d.seq} ${c}`),
        );
        expect(compare(rel, ".txt", "sysdig-text")).toEqual(allowed);
      });
    }
    it("curl_google.jsonl (-j): rows equal binary rows, timestamps exact", () => {
      expect(compare("falcosecurity-libs/curl_google.scap", ".jsonl", "sysdig-json")).toEqual([]);
    });
    it("run_as_user_0_container.pc.jsonl (-pc -j): rows equal binary rows", () => {
      expect(
        compare("falcosecurity-falco/psp/run_as_user_0_container.scap", ".pc.jsonl", "sysdig-json"),
      ).toEqual([]);
    });
    it("accounts for every line", () => {
      const p = new SysdigParser(
        { capture: "c", arch: "x86_64", phase: "unknown", format: "sysdig-text" },
        new EventBatch(),
      );
      p.parse(expected("falcosecurity-libs/sample.scap", ".txt")! + "garbage before nothing\n");
      const skipped = Object.values(p.skipped).reduce((x, y) => x + y, 0);
      expect(p.lines).toBe(p.eventLines + p.rejects.length + skipped);
      expect(p.skipped.switch).toBe(228);
    });
  },
);

describe.skipIf(scapAvailability.skipReason !== null)("custom -p formats (LID-DS)", () => {
  const LIDDS = "%evt.rawtime %user.uid %proc.pid %proc.name %thread.tid %syscall.type %evt.dir %evt.args";

  it("reads LID-DS-format lines into the same rows as the -j output they were written from", () => {
    const json = expected("falcosecurity-libs/curl_google.scap", ".jsonl")!;
    // the LID-DS line of each -j event (uid 1000, pid = tid: curl is single-threaded)
    const lidds = json
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const o = JSON.parse(l) as Record<string, string | number>;
        const ts = /"evt\.outputtime":(\d+)/.exec(l)![1]!;
        return `${ts} 1000 ${o["thread.tid"]} ${o["proc.name"]} ${o["thread.tid"]} ${o["evt.type"]} ${o["evt.dir"]} ${o["evt.info"]}`;
      })
      .join("\n");
    const opts = { capture: "c", arch: "x86_64", phase: "unknown" };
    const a = new EventBatch();
    new SysdigParser({ ...opts, format: "sysdig-json" }, a).parse(json);
    const b = new EventBatch();
    const p = new SysdigParser({ ...opts, format: "sysdig-text", lineFormat: LIDDS }, b);
    p.parse(lidds);
    expect(p.rejects).toEqual([]);
    const ra = rows(a.toRecordBatch());
    const rb = rows(b.toRecordBatch());
    expect(rb.length).toBe(ra.length);
    rb.forEach((r, i) => {
      for (const c of [...COLUMNS, "ts_ns", "args_raw"]) expect([i, c, r[c]]).toEqual([i, c, ra[i]![c]]);
    });
  });

  it("names an unsupported field", () => {
    expect(
      () =>
        new SysdigParser(
          {
            capture: "c",
            arch: "x86_64",
            phase: "unknown",
            format: "sysdig-text",
            lineFormat: "%evt.num %fd.name",
          },
          new EventBatch(),
        ),
    ).toThrow(/%fd\.name is not supported/);
  });
});
