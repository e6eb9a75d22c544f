/**
 * A damaged gzip capture gets the same status whatever the format and wherever the damage: an
 * error. Real gzip captures (bundled strace files, the scap captures, sysdig's text and JSON
 * outputs gzipped) are truncated, bit-flipped, or given bytes inserted, deleted or overwritten;
 * the scap and sysdig reader's gunzip (stages/scap/inflate.ts) and the strace reader's (node's
 * gunzipSync, pipeline/ingest/read-piece.ts) must then both fail, or both give back exactly the
 * original bytes (damage gzip does not see, such as its header's time stamp) — never a prefix
 * read as if it were the whole capture. (Damage to the magic itself makes a file that is no gzip,
 * which both read as plain.) Then one damaged capture of each format through
 * `sandmine ingest`: exit status 2, "corrupt gzip data", each time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { GZIP_CORRUPT, inflate, isGzip } from "../../stages/scap/inflate.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { capture, expected, scapAvailability } from "../scap/captures.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT, listFiles } from "../util/datasets.ts";
import { casesPerFormat, fuzz, share } from "./fuzz.ts";
import { mutate, mutationArb, type Mutation } from "./mutations.ts";

/** One gzip capture: its name, format and compressed bytes. */
interface Gz {
  name: string;
  format: "strace" | "scap" | "sysdig-text" | "sysdig-json";
  gz: Buffer;
  plain: Buffer;
}

function corpus(): Gz[] {
  const out: Gz[] = [];
  const strace = path.join(REPO_ROOT, "datasets", "captures", "redis", "run-01");
  for (const f of ["trace.6134.gz", "trace.6142.gz"]) {
    const gz = fs.readFileSync(path.join(strace, f));
    out.push({ name: `datasets/captures/redis/run-01/${f}`, format: "strace", gz, plain: gunzipSync(gz) });
  }
  if (scapAvailability.skipReason === null) {
    for (const rel of ["falcosecurity-falco/cat_write.scap", "falcosecurity-libs/test_ipv6_client.scap"]) {
      const gz = capture(rel);
      out.push({ name: rel, format: "scap", gz, plain: gunzipSync(gz) });
    }
    for (const [suffix, format] of [
      [".txt", "sysdig-text"],
      [".jsonl", "sysdig-json"],
    ] as const) {
      const plain = Buffer.from(expected("falcosecurity-libs/curl_google.scap", suffix)!, "utf8");
      out.push({ name: `curl_google${suffix}.gz`, format, gz: gzipSync(plain), plain });
    }
  }
  return out;
}

/** How a gunzip ended: the error's first words, or "same" (the original bytes) or "different". */
function outcome(f: () => Buffer, plain: Buffer): string {
  try {
    return f().equals(plain) ? "same" : "different";
  } catch (e) {
    return `error: ${(e as Error).message.split(" (")[0]}`;
  }
}

interface GzCase {
  file: number;
  muts: Mutation[];
}

const CUTS = ["\x1f\x8b", "\x00\x00\x00\x00", "\xff"];

describe("fuzz: damaged gzip captures", () => {
  const all = corpus();

  it("the scap/sysdig gunzip and the strace one fail on the same damage, and never hand on other bytes", () => {
    const r = fuzz({
      name: "gzip damage",
      seed: 0x92,
      // each case gunzips up to 250 KB three times: a few thousand are enough
      cases: share(casesPerFormat(), 0.03),
      arb: fc.record({
        file: fc.nat({ max: all.length - 1 }),
        muts: fc.array(mutationArb(CUTS, true), { minLength: 1, maxLength: 2 }),
      }),
      check: (chunk) => {
        for (const c of chunk as GzCase[]) {
          const f = all[c.file % all.length]!;
          const bad = mutate(f.gz, c.muts);
          if (!isGzip(bad)) {
            // the magic is gone: no reader takes it for gzip (read-piece.ts asks isGzip too)
            if (!inflate(bad).bytes.equals(bad)) throw new Error(`${f.name}: not gzip, yet changed`);
            continue;
          }
          const ours = outcome(() => inflate(bad).bytes, f.plain);
          const node = outcome(() => gunzipSync(bad), f.plain);
          const again = outcome(() => inflate(bad).bytes, f.plain);
          if (ours !== again) throw new Error(`${f.name}: ${ours}, then ${again}`);
          if (ours === "different" || (ours === "same") !== (node === "same"))
            throw new Error(`${f.name} (${f.format}): stages ${ours}, strace reader ${node}`);
          if (ours !== "same" && ours !== `error: ${GZIP_CORRUPT}`) throw new Error(`${f.name}: ${ours}`);
          if (f.format === "scap" && ours !== "same") {
            let threw = false;
            try {
              readScap(bad, () => {});
            } catch {
              threw = true;
            }
            if (!threw) throw new Error(`${f.name}: readScap read a damaged gzip stream`);
          }
        }
      },
      show: (c) => `${all[c.file % all.length]!.name} ${JSON.stringify(c.muts)}`,
    });
    console.log(`fuzz gzip damage: ${r.cases} cases in ${r.runs} runs (seed ${r.seed})`);
    expect(r.cases).toBeGreaterThan(0);
  });

  describe.skipIf(scapAvailability.skipReason !== null)("sandmine ingest", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sandmine-fuzz-gzip-"));
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    // one damage per format, each one that the old readers ingested (scap: 90% of the file; sysdig:
    // a flipped byte in the middle) or sent down another format's path (a flip near the start)
    const damages: [Gz["format"], string, (b: Buffer) => Buffer][] = [
      ["strace", "cut at 90%", (b) => b.subarray(0, Math.floor(b.length * 0.9))],
      ["scap", "cut at 90%", (b) => b.subarray(0, Math.floor(b.length * 0.9))],
      ["sysdig-text", "a byte flipped in the middle", (b) => flip(b, b.length >> 1)],
      ["sysdig-json", "a byte flipped near the start", (b) => flip(b, 20)],
    ];
    it.each(damages)("%s, %s: exit status 2, corrupt gzip data", async (format, _what, damage) => {
      const f = all.find((x) => x.format === format)!;
      const dir = fs.mkdtempSync(path.join(tmp, "in-"));
      const file = path.join(dir, path.basename(f.name) + (f.name.endsWith(".gz") ? "" : ".gz"));
      fs.writeFileSync(file, damage(f.gz));
      const out = path.join(tmp, `out-${format}`);
      const r = await runCli(
        "ingest",
        file,
        "--out",
        out,
        "--image",
        "x",
        "--run",
        "r",
        "-q",
        "--workers",
        "1",
      );
      expect({ code: r.code, corrupt: r.err.includes(GZIP_CORRUPT) }, r.err).toEqual({
        code: 2,
        corrupt: true,
      });
      const parts = fs.existsSync(out) ? listFiles(out).filter((x) => x.endsWith(".parquet")) : [];
      expect(parts).toEqual([]);
    });
  });
});

function flip(b: Buffer, at: number): Buffer {
  const c = Buffer.from(b);
  c[at]! ^= 0xff;
  return c;
}
