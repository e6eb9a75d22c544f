#!/usr/bin/env node
// Runs a pipeline entry point (cli, demo) from a bundle that esbuild builds on demand into
// out/build/v-MTIME/, rebuilt when any source is newer. Bundled workers start in a fraction of the time
// and memory that tsx needs to compile TypeScript in every worker thread (measured: 33 MB each).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "out", "build");
const entries = { cli: "pipeline/cli.ts", demo: "pipeline/demo.ts", worker: "pipeline/ingest/worker.ts" };

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith(".ts") || e.name.endsWith(".json")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Packages bundled (tree-shaken) instead of loaded from node_modules. */
const BUNDLED = /^(apache-arrow|flatbuffers|json-with-bigint|tslib)(\/|$)/;
const externals = {
  name: "externals",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

// Each build goes to its own folder, named by the sources' newest mtime, built under a temporary
// name and renamed into place when complete: a process never imports a half-written bundle while
// another one rebuilds (two concurrent invocations after an edit did), and a long run keeps the
// chunks it loads lazily even after a newer build appears.
async function ensureBundle() {
  const sources = Math.max(
    ...["pipeline", "stages", "schemas"].map((d) => newest(join(root, d))),
    statSync(join(root, "package.json")).mtimeMs,
    // this file holds the build options: a changed launcher builds again
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
  const bundle = join(outdir, `v-${Math.floor(sources)}`);
  if (complete(bundle)) return bundle;
  mkdirSync(outdir, { recursive: true });
  const tmp = mkdtempSync(join(outdir, `.tmp-${process.pid}-`));
  try {
    const { build } = await import("esbuild");
    await build({
      absWorkingDir: root,
      entryPoints: entries,
      outdir: tmp,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      // each command's packages (jsdom, Plot, DuckDB, …) load only when it runs: one bundle with
      // every import at its top cost `sandmine ingest` 1.3 CPU s and 100 MB of RSS at start (measured)
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      // packages stay in node_modules, except Apache Arrow and its dependencies: bundled, esbuild
      // keeps the parts sandmine uses, and each ingest worker loads them in a fraction of the time
      // its ~200 modules took
      plugins: [externals],
      sourcemap: "linked",
      logLevel: "error",
    });
    renameSync(tmp, bundle);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // another process finished the same build first: use its folder
    if (!complete(bundle)) throw e;
  }
  prune();
  return bundle;
}

const complete = (dir) => Object.keys(entries).every((k) => existsSync(join(dir, `${k}.mjs`)));

/** Drops older builds, keeping the last 3 and any younger than 3 hours (a long run may still load chunks from it). */
function prune() {
  const cutoff = Date.now() - 3 * 3600 * 1000;
  const builds = readdirSync(outdir)
    .filter((n) => /^v-\d+$/.test(n))
    .sort((a, b) => Number(b.slice(2)) - Number(a.slice(2)));
  for (const name of builds.slice(3)) {
    const dir = join(outdir, name);
    if (statSync(dir).mtimeMs < cutoff) rmSync(dir, { recursive: true, force: true });
  }
}

const [entry = "cli", ...args] = process.argv.slice(2);
if (!(entry in entries) || entry === "worker") {
  process.stderr.write(`launch: unknown entry "${entry}" (cli or demo)\n`);
  process.exit(2);
}
// a reader that stopped reading (`sandmine coverage --json | head -1`) is not an error
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
// `ingest` frees a piece's buffers piece after piece on several threads; glibc raises its trim
// threshold as large blocks come and go and then keeps the freed memory. A fixed threshold, read
// by glibc only at process start, cut the 4.07 M-line capture's peak RSS 366-400 -> 281-298 MB
// for ~0.5 s more system CPU (2 workers, measured): so ingest runs in a child started with it
// (the child checks and builds the bundle, not both).
const trimmed = process.platform === "linux" && entry === "cli" && args[0] === "ingest";
if (trimmed && process.env.MALLOC_TRIM_THRESHOLD_ === undefined) {
  const { spawn } = await import("node:child_process");
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), entry, ...args],
    {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: { ...process.env, MALLOC_TRIM_THRESHOLD_: "131072", SANDMINE_LAUNCH_CHILD: "1" },
    },
  );
  // a signal sent to this process by its PID reaches the ingest; if this process dies, the
  // child's IPC channel closes and it ends too (below)
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => child.kill(s));
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal); // die of the same signal, as the ingest did
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  if (process.channel && process.env.SANDMINE_LAUNCH_CHILD === "1") {
    delete process.env.SANDMINE_LAUNCH_CHILD;
    process.on("disconnect", () => process.kill(process.pid, "SIGKILL"));
    process.channel.unref();
  }
  const mod = await import(pathToFileURL(join(await ensureBundle(), `${entry}.mjs`)).href);
  if (entry === "cli") process.exitCode = await mod.main(args);
}
