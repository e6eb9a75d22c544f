/**
 * Queue mode on a real redis-server: `sandmine enqueue` puts the bundled captures' manifest on the
 * queue, three `sandmine worker`s take the jobs and one is SIGKILLed in the middle of its first
 * job; the job is taken again by another worker after its lock runs out, and the dataset is byte
 * for byte the one a single `sandmine ingest --manifest` writes, with a clean fsck. Enqueuing
 * again is idempotent (the same job ids; nothing new once committed); a bad capture fails for good
 * at its first attempt with its reason, and the enqueuer exits 2.
 *
 * Needs redis-server (skipped with the reason without it; failed under CI=true).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledCaptures, REPO_ROOT, requireOrSkip } from "../util/datasets.ts";
import { bundledManifest, datasetHashes, sandmine, warmBundle } from "../dataset/child.ts";
import { startSandmine, type Child } from "./processes.ts";
import { redisUnavailable, startRedis, type RedisServer } from "./redis.ts";

const MANIFEST = join(REPO_ROOT, "datasets", "captures.yaml");
const why = redisUnavailable();
if (why && process.env.CI) throw new Error(`${why}; required when CI is set`);
const captures = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");

let tmp: string;
let redis: RedisServer | undefined;
const children: Child[] = [];

/** A worker on the test's Redis: one ingest thread, a short lock so a dead worker's job comes back soon. */
function worker(...more: string[]): Child {
  const c = startSandmine([
    "worker",
    "--queue",
    redis!.url,
    "--workers",
    "1",
    "--lock-seconds",
    "5",
    ...more,
  ]);
  children.push(c);
  return c;
}

describe.skipIf(why !== null || captures.path === null)(
  `sandmine enqueue / worker (${why ?? captures.skipReason ?? "redis-server"})`,
  () => {
    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), "sandmine-queue-"));
      redis = await startRedis();
      await warmBundle();
    }, 120_000);
    afterAll(async () => {
      for (const c of children)
        if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
      await Promise.all(children.map((c) => c.exit));
      await redis?.stop();
      rmSync(tmp, { recursive: true, force: true });
    });

    it("3 workers, one SIGKILLed mid-job, write the dataset of one ingest process", async () => {
      const one = join(tmp, "one");
      const single = await sandmine(["ingest", "--manifest", MANIFEST, "--out", one, "-q"]);
      expect(single.code, single.err).toBe(0);

      const many = join(tmp, "many");
      const workers = [worker(), worker(), worker()];
      await Promise.all(workers.map((w) => w.line(/taking jobs/)));
      const enqueuer = startSandmine([
        "enqueue",
        "--manifest",
        MANIFEST,
        "--out",
        many,
        "--queue",
        redis!.url,
      ]);
      children.push(enqueuer);

      // the first worker to start a job is killed at once: the job is in its hands, not done
      const started = await Promise.race(
        workers.map((w) => w.line(/: started \(attempt 1\)/).then((l) => ({ w, l }))),
      );
      started.w.proc.kill("SIGKILL");
      const killedJob = /: (\S+@[0-9a-f]+): started/.exec(started.l)![1]!;
      expect((await started.w.exit).signal).toBe("SIGKILL");
      expect(started.w.err()).not.toContain(`${killedJob}: done`);

      const e = await enqueuer.exit;
      expect(e.code, enqueuer.err() + enqueuer.out()).toBe(0);
      expect(enqueuer.out()).toMatch(/16 job\(s\) on sandmine-ingest: 16 done, 0 failed/);
      expect(enqueuer.err()).toMatch(/jobs: 16\/16 \(100%\)/);
      // another worker took the killed worker's job again after its lock ran out
      const survivors = workers.filter((w) => w !== started.w);
      const retried = survivors.map((w) => w.err()).join("");
      expect(retried).toMatch(
        new RegExp(`${escaped(killedJob)}: started \\(attempt \\d+, after 1 stalled\\)`),
      );
      expect(retried).toMatch(new RegExp(`${escaped(killedJob)}: (done|unchanged)`));

      // SIGTERM: each survivor finishes what it holds (nothing) and exits 0
      for (const w of survivors) w.proc.kill("SIGTERM");
      for (const w of survivors) expect((await w.exit).code, w.err()).toBe(0);

      expect(datasetHashes(many)).toEqual(datasetHashes(one));
      const fsck = await sandmine(["fsck", many]);
      expect(fsck.code, fsck.out + fsck.err).toBe(0);
      expect(fsck.out).toMatch(/16 committed run\(s\)\n\s+clean/);

      // enqueued again: every capture is committed with the same content, no job, exit 0
      const again = await sandmine(["enqueue", "--manifest", MANIFEST, "--out", many, "--queue", redis!.url]);
      expect(again.code, again.err).toBe(0);
      expect(again.out).toMatch(/16 capture\(s\) already in the dataset with the same content: no job/);
      expect(datasetHashes(many)).toEqual(datasetHashes(one));
    }, 900_000);

    it("job ids are idempotent; a bad capture fails for good with its reason and exit 2", async () => {
      const bad = join(tmp, "not-a-capture.txt");
      writeFileSync(bad, "this is not a capture\n".repeat(300));
      const manifest = bundledManifest(join(tmp, "two.yaml"), ["memcached/run-04"]);
      writeFileSync(
        manifest,
        `${readFileSync(manifest, "utf8")}  - { path: ${bad}, image: junk, run: run-01 }\n`,
      );
      const out = join(tmp, "two");
      const args = [
        "enqueue",
        "--manifest",
        manifest,
        "--out",
        out,
        "--queue",
        redis!.url,
        "--queue-name",
        "second",
      ];
      const first = await sandmine([...args, "--detach"]);
      expect(first.code, first.err).toBe(0);
      expect(first.err).toMatch(/enqueued 2 job\(s\) on second: 2 new, 0 already queued/);
      const second = await sandmine([...args, "--detach", "--json"]);
      expect(second.code, second.err).toBe(0);
      expect(JSON.parse(second.out)).toMatchObject({ added: 0, queued: 2, requeued: 0 });

      // the worker starts once the waiting enqueuer has found both jobs queued (--drain: it exits
      // when the queue is empty)
      const waiting = startSandmine(args);
      children.push(waiting);
      expect(await waiting.line(/^enqueued/)).toMatch(/0 new, 2 already queued/);
      const w = worker("--queue-name", "second", "--drain");
      const waited = { code: (await waiting.exit).code, out: waiting.out(), err: waiting.err() };
      expect(waited.code, waited.err).toBe(2);
      expect(waited.out).toMatch(/2 job\(s\) on second: 1 done, 1 failed/);
      expect(waited.out).toMatch(
        /failed: junk\/run-01 \(.*not-a-capture\.txt\) after 1 attempt\(s\): .*not-a-capture\.txt/,
      );
      expect((await w.exit).code, w.err()).toBe(0);
      expect(w.err()).toMatch(/queue empty: exiting/);
      const fsck = await sandmine(["fsck", out]);
      expect(fsck.out).toMatch(/1 committed run\(s\)\n\s+clean/);
    }, 600_000);
  },
);

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
