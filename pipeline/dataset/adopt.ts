/**
 * Datasets written before the commit protocol have run folders without commit records; their
 * tables (runs.parquet, rejects.parquet, manifest.json) were the only account of them. `fsck
 * --repair` adopts each such folder that runs.parquet lists: it writes the run's rejects and a
 * commit record made from the tables' rows (renamed into place: the record appears whole or not
 * at all), after which the run is committed like any other. A folder the tables do not list is
 * what an older ingest left when it was killed between moving its partitions and writing its
 * tables, and is removed instead.
 *
 * An adopted run's content key is `adopted:` and a hash of its row: ingesting its capture again
 * finds other content and asks for --replace.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { Table, tableToIPC, vectorFromArray, type DataType } from "apache-arrow";
import { REJECTS_SCHEMA } from "../../schemas/rejects.ts";
import { RUN_COLUMNS, type RunRow } from "../../schemas/runs.ts";
import { quoteString, withDb, type Db } from "../duckdb.ts";
import { concatBatches } from "../ingest/arrow-concat.ts";
import { writeSignatures } from "../ingest/signatures.ts";
import { writeDurable, fsyncPath } from "./durable.ts";
import {
  COMMIT_FILE,
  RECORD_FORMAT,
  REJECTS_FILE,
  recordText,
  type CommitRecord,
  type ManifestInput,
  type RecordedFile,
} from "./record.ts";

/** A run as an older dataset's tables list it. */
export interface LegacyRun {
  row: RunRow;
  input: ManifestInput | null;
  /** image of the capture it was split off (the run's own image when it was not) */
  captureImage: string;
}

const runKey = (image: string, run: string): string => `${image}\u0000${run}`;

/** The runs the dataset's tables list, by image and run (empty without runs.parquet). */
export async function legacyRuns(dataset: string): Promise<Map<string, LegacyRun>> {
  const out = new Map<string, LegacyRun>();
  const file = join(dataset, "runs.parquet");
  if (!existsSync(file)) return out;
  let inputs: ManifestInput[] = [];
  try {
    const m = JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8")) as {
      inputs?: ManifestInput[];
    };
    inputs = Array.isArray(m.inputs) ? m.inputs : [];
  } catch {
    // no manifest: no inputs
  }
  const rows = await withDb((db) =>
    db.query<Record<string, unknown>>(
      `SELECT * FROM read_parquet(${quoteString(file)}, hive_partitioning = false)`,
    ),
  );
  for (const r of rows) {
    const row = Object.fromEntries(
      RUN_COLUMNS.map(([c, t]) => {
        const v = r[c];
        if (v === null || v === undefined) return [c, null];
        if (c === "ts_first_ns" || c === "ts_last_ns") return [c, String(v)];
        return [c, t === "BIGINT" ? Number(v) : String(v)];
      }),
    ) as RunRow;
    const image = String(row.image);
    const run = String(row.run);
    const input = inputs.find((i) => i.image === image && i.run === run) ?? null;
    const owner = inputs.find((i) => i.run === run && (i.split_images ?? []).includes(image));
    out.set(runKey(image, run), { row, input, captureImage: owner?.image ?? image });
  }
  return out;
}

/** The legacy run of folder `image=…/run=…` (decoded values given), if the tables list it. */
export function legacyRunOf(
  runs: ReadonlyMap<string, LegacyRun>,
  image: string,
  run: string,
): LegacyRun | undefined {
  return runs.get(runKey(image, run));
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function rejectsOf(db: Db, dataset: string, image: string, run: string): Promise<Table | null> {
  const file = join(dataset, "rejects.parquet");
  if (!existsSync(file)) return null;
  const rows = await db.query<Record<string, unknown>>(
    `SELECT * FROM read_parquet(${quoteString(file)}, hive_partitioning = false) WHERE image = $1 AND run = $2
     ORDER BY file, line, "offset", reason, raw`,
    [image, run],
  );
  if (rows.length === 0) return null;
  const t = new Table(
    Object.fromEntries(
      REJECTS_SCHEMA.fields.map((f) => [
        f.name,
        vectorFromArray(rows.map((r) => r[f.name] ?? null) as never[], f.type as DataType),
      ]),
    ),
  );
  return new Table(concatBatches(REJECTS_SCHEMA, t.batches));
}

/** Writes the commit record of legacy run folder `dir` (run `legacy`); the folder is then committed. */
export async function adoptRun(dataset: string, dir: string, legacy: LegacyRun): Promise<void> {
  const image = String(legacy.row.image);
  const run = String(legacy.row.run);
  await withDb(async (db) => {
    const events: RecordedFile[] = [];
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith(".parquet"))
      .sort()) {
      const p = join(dir, name);
      const [m] = await db.query<{ n: bigint }>(
        `SELECT num_rows AS n FROM parquet_file_metadata(${quoteString(p)})`,
      );
      events.push({
        file: name,
        rows: Number(m!.n),
        bytes: statSync(p).size,
        sha256: sha256(readFileSync(p)),
      });
    }
    const rej = await rejectsOf(db, dataset, image, run);
    let rejects: RecordedFile | null = null;
    if (rej !== null) {
      const bytes = tableToIPC(rej, "file");
      writeDurable(join(dir, `${REJECTS_FILE}.tmp`), bytes);
      renameSync(join(dir, `${REJECTS_FILE}.tmp`), join(dir, REJECTS_FILE));
      rejects = { file: REJECTS_FILE, rows: rej.numRows, bytes: bytes.length, sha256: sha256(bytes) };
    }
    const record: CommitRecord = {
      format: RECORD_FORMAT,
      image,
      run,
      key: `adopted:${sha256(Buffer.from(JSON.stringify(legacy.row)))}`,
      capture_image: legacy.captureImage,
      events,
      rejects,
      signatures: await writeSignatures(
        db,
        dir,
        events.map((f) => f.file),
      ),
      row: legacy.row,
      input: legacy.input,
    };
    writeDurable(join(dir, `${COMMIT_FILE}.tmp`), recordText(record));
    renameSync(join(dir, `${COMMIT_FILE}.tmp`), join(dir, COMMIT_FILE));
    fsyncPath(dir);
  }, 1);
}
