/**
 * The dataset's tables as views of its commit log: runs.parquet, rejects.parquet and manifest.json
 * are rebuilt whole from the committed runs' records (compaction), never merged with what they
 * held, so they are a function of the set of records: any writer that rebuilds them from the same
 * records writes the same bytes.
 *
 * Writers rebuild them without a lock, by this rule: take a snapshot of the log, build the three
 * files in the writer's staging folder, rename each into place that differs, then read the log
 * again; when it changed meanwhile, start over. Whichever writer renames a table last had, at its
 * final check, a snapshot equal to the log — and every commit before that check — so once the
 * writers are done the tables show exactly the committed runs. A writer killed between its commit
 * and its rebuild leaves them behind the log until the next writer, or `sandmine fsck --repair`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Table, tableFromIPC } from "apache-arrow";
import packageJson from "../../package.json" with { type: "json" };
import { SCHEMA_VERSION } from "../../schemas/events.ts";
import { RUN_COLUMNS } from "../../schemas/runs.ts";
import { quoteString, withDb, type Db } from "../duckdb.ts";
import { toParquet } from "../parquet.ts";
import { killPoint } from "./crash.ts";
import { fsyncPath, renameDurable, writeDurable } from "./durable.ts";
import { readLog, type LogSnapshot } from "./log.ts";
import { REJECTS_FILE, type ManifestInput } from "./record.ts";

/** The table files, in the order they are renamed (manifest.json last). */
export const VIEW_FILES = ["runs.parquet", "rejects.parquet", "manifest.json"] as const;
export type ViewFile = (typeof VIEW_FILES)[number];

/** A run folder vanished while the views were read (a --replace moved it): read the log again. */
class Moved extends Error {}

const REJECTS_DDL = `CREATE TABLE all_rejects (
  image VARCHAR, run VARCHAR, file VARCHAR, line BIGINT, "offset" BIGINT, reason VARCHAR, raw VARCHAR,
  raw_bytes BIGINT)`;

function readOrMoved(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Moved(file);
    throw e;
  }
}

async function copyOut(db: Db, select: string, file: string): Promise<void> {
  await db.exec(`COPY (${select}) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`);
}

async function buildRuns(db: Db, snap: LogSnapshot, file: string): Promise<void> {
  await db.exec(`CREATE TABLE v_runs (${RUN_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", ")})`);
  const insert = `INSERT INTO v_runs VALUES (${RUN_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`;
  for (const r of snap.runs) {
    const row = r.record.row;
    await db.exec(
      insert,
      RUN_COLUMNS.map(([c, t]) => {
        const v = row[c];
        if (v === null || v === undefined) return null;
        return t === "BIGINT" ? BigInt(v) : String(v);
      }),
    );
  }
  await copyOut(db, `SELECT * FROM v_runs ORDER BY image, run`, file);
}

async function buildRejects(db: Db, snap: LogSnapshot, file: string, work: string): Promise<void> {
  await db.exec(REJECTS_DDL);
  const tables: Table[] = [];
  for (const r of snap.runs) {
    if (r.record.rejects === null) continue;
    tables.push(tableFromIPC(readOrMoved(join(r.dir, REJECTS_FILE))));
  }
  const rows = tables.reduce((n, t) => n + t.numRows, 0);
  const tmp = join(work, "rejects-in.parquet");
  try {
    if (rows > 0) {
      writeDurable(tmp, toParquet(new Table(tables.flatMap((t) => t.batches))));
      await db.exec(`INSERT INTO all_rejects SELECT * FROM read_parquet(${quoteString(tmp)})`);
    }
    await copyOut(
      db,
      `SELECT * FROM all_rejects ORDER BY image, run, file, line, "offset", reason, raw`,
      file,
    );
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** manifest.json's text for a snapshot. */
export function manifestText(snap: LogSnapshot): string {
  const inputs: ManifestInput[] = snap.runs.flatMap((r) => (r.record.input ? [r.record.input] : []));
  const manifest = {
    schema_version: SCHEMA_VERSION,
    tool: { name: "sandmine", version: (packageJson as { version: string }).version },
    tables: {
      events: "events/image=*/run=*/*.parquet",
      runs: "runs.parquet",
      rejects: "rejects.parquet",
    },
    // the log the tables were built from: `sandmine fsck` compares it with the runs' records
    commits: { runs: snap.runs.length, digest: snap.digest },
    inputs,
  };
  return JSON.stringify(manifest, null, 2) + "\n";
}

/** Builds the three tables of `snap` into folder `out` (which must exist and not hold them). */
export async function buildViews(snap: LogSnapshot, out: string): Promise<void> {
  await withDb(async (db) => {
    await buildRuns(db, snap, join(out, "runs.parquet"));
    await buildRejects(db, snap, join(out, "rejects.parquet"), out);
  }, 1);
  writeDurable(join(out, "manifest.json"), manifestText(snap));
  for (const f of ["runs.parquet", "rejects.parquet"]) fsyncPath(join(out, f));
}

function sha(file: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return null;
  }
}

/** Which tables of `dataset` differ from those built in `built` (missing ones included). */
export function staleViews(dataset: string, built: string): ViewFile[] {
  return VIEW_FILES.filter((f) => sha(join(dataset, f)) !== sha(join(built, f)));
}

/** The snapshot's tables, built in a fresh sub-folder of `work`; retried when a run moved. */
export async function buildSnapshotViews(
  dataset: string,
  work: string,
): Promise<{ snap: LogSnapshot; dir: string }> {
  for (let attempt = 0; ; attempt++) {
    const snap = readLog(dataset);
    killPoint("views-snapshot");
    const dir = join(work, `views-${attempt}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      await buildViews(snap, dir);
      return { snap, dir };
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      if (!(e instanceof Moved) || attempt > 1000) throw e;
    }
  }
}

/**
 * Rebuilds the tables of `dataset` from its log by the lock-free rule above, working in `work`
 * (the caller's staging folder). Returns the snapshot the tables now show.
 */
export async function refreshViews(dataset: string, work: string): Promise<LogSnapshot> {
  for (;;) {
    const { snap, dir } = await buildSnapshotViews(dataset, work);
    killPoint("views-built");
    for (const f of staleViews(dataset, dir)) {
      renameDurable(join(dir, f), join(dataset, f));
      killPoint(
        f === "runs.parquet" ? "views-runs" : f === "rejects.parquet" ? "views-rejects" : "views-manifest",
      );
    }
    rmSync(dir, { recursive: true, force: true });
    const now = readLog(dataset);
    killPoint("views-checked");
    if (now.digest === snap.digest) return snap;
  }
}
