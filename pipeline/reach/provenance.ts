/**
 * What a `reach.json` was computed from, and whether it still holds: the dataset's commit log
 * for the image (the digest of its runs' commit records: a re-ingest, a --replace or a new run
 * changes it) and the root filesystem (a directory: size and mtime of every analysed file inside
 * it; an archive: its own size and mtime). `report` and the notebooks show a stale result only as
 * that: the reason and the command that recomputes it.
 */
import { stat } from "node:fs/promises";
import { statSync } from "node:fs";
import { logDigest, readLog } from "../dataset/log.ts";
import type { ReachSourceRecord } from "../../stages/reach/summary.ts";
import { resolveIn } from "./rootfs.ts";

/** The image's commit digest and the rootfs identity a result was computed from. */
export type ReachSource = ReachSourceRecord;

/** The image's committed runs and their digest (logDigest over those runs alone). */
export function imageLog(dataset: string, image: string): { runs: number; digest: string } {
  const runs = readLog(dataset).runs.filter((r) => r.record.image === image);
  return { runs: runs.length, digest: logDigest(runs) };
}

/** The source record of a result computed now from `rootfs` with these analysed files. */
export async function reachSource(
  dataset: string,
  image: string,
  rootfs: string,
  files: readonly string[],
): Promise<ReachSource> {
  const st = await stat(rootfs);
  const log = imageLog(dataset, image);
  if (!st.isDirectory())
    return {
      dataset: { image, ...log },
      rootfs: { kind: "archive", path: rootfs, size: st.size, mtimeMs: st.mtimeMs },
    };
  const out: { path: string; host: string; size: number; mtimeMs: number }[] = [];
  for (const f of files) {
    const r = await resolveIn(rootfs, f);
    const s = r ? await stat(r.host).catch(() => undefined) : undefined;
    out.push({ path: f, host: r?.host ?? "", size: s?.size ?? -1, mtimeMs: s?.mtimeMs ?? -1 });
  }
  return { dataset: { image, ...log }, rootfs: { kind: "directory", path: rootfs, files: out } };
}

/** Why a result of `source` no longer describes the dataset and rootfs; null while it does (sync: stats only). */
export function staleReason(dataset: string, source: ReachSource | undefined): string | null {
  if (!source) return "it records no source (computed by an older sandmine)";
  const log = imageLog(dataset, source.dataset.image);
  if (log.digest !== source.dataset.digest)
    return `the dataset's runs of image ${source.dataset.image} changed since (${source.dataset.runs} committed run(s) then, ${log.runs} now; commit digest ${source.dataset.digest.slice(0, 12)} → ${log.digest.slice(0, 12)})`;
  const rf = source.rootfs;
  if (rf.kind === "archive") {
    const s = statSafe(rf.path);
    if (!s) return `the rootfs archive ${rf.path} is gone`;
    if (s.size !== rf.size || s.mtimeMs !== rf.mtimeMs) return `the rootfs archive ${rf.path} changed since`;
    return null;
  }
  if (!statSafe(rf.path)?.isDirectory()) return `the rootfs ${rf.path} is gone`;
  for (const f of rf.files) {
    const s = f.host ? statSafe(f.host) : undefined;
    if (!s || s.size !== f.size || s.mtimeMs !== f.mtimeMs)
      return `${f.path} in the rootfs ${rf.path} changed since (${s ? "another size or mtime" : "gone"})`;
  }
  return null;
}

const statSafe = (p: string): ReturnType<typeof statSync> | undefined => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};
