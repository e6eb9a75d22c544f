/**
 * The characterize SQL run against a real in-memory DuckDB on a handful of literal event rows
 * (columns as in schemas/events.ts: arg0..arg5 BIGINT, path/fd_path VARCHAR, sa_family INTEGER).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Db } from "../../pipeline/duckdb.ts";
import {
  ARGS_SQL,
  PAPER_TUPLES_SQL,
  RUN_SPANS_SQL,
  SYSCALLS_BY_SQL,
  SYSCALLS_SQL,
  allArgModels,
  argValuesSql,
  modelsTableSql,
  signatureSql,
  unitsSql,
} from "../../stages/characterize/index.ts";

// image, run, ts_ns, comm, phase, syscall, arg0, arg1, arg2, arg3, path, fd_path, sa_family
const ROWS = `
  ('web', 'r1', 100, 'runc:[2:INIT]', 'runtime', 'openat', -100, NULL, 524288, NULL, '/etc/passwd', '/', NULL),
  ('web', 'r1', 200, 'nginx', 'workload', 'openat', -100, NULL, 2048, NULL, '/srv/www/index.html', '/', NULL),
  ('web', 'r1', 300, 'nginx', 'workload', 'openat', -100, NULL, 2048, NULL, '/srv/www/index.html', '/', NULL),
  ('web', 'r1', 400, 'nginx', 'workload', 'socket', 2, 526337, 0, NULL, NULL, NULL, NULL),
  ('web', 'r1', 500, 'nginx', 'workload', 'accept4', 6, NULL, NULL, 2048, NULL, 'TCP:[1.2.3.4:80->5.6.7.8:9]', 2),
  ('web', 'r2', 1000, 'nginx', 'workload', 'openat', -100, NULL, 2048, NULL, '/srv/www/a.html', '/', NULL),
  ('web', 'r2', 1500, 'nginx', 'workload', 'read', 7, 140000000, 4096, NULL, NULL, '/proc/1234/stat', NULL),
  ('web', 'r2', 1700, 'nginx', 'workload', 'epoll_wait', 9, 140000000, 512, 60000, NULL, 'anon_inode:[eventpoll]', NULL),
  ('db', 'r1', 50, 'redis', 'workload', 'mmap', 0, 8192, 3, 34, NULL, NULL, NULL),
  ('db', 'r1', 60, 'redis', 'workload', 'mmap', 0, 4096, 1, 2, NULL, NULL, NULL)`;

let db: Db;

beforeAll(async () => {
  db = await Db.open(1);
  await db.exec(`CREATE TABLE ev AS SELECT * FROM (VALUES ${ROWS})
    AS t(image, run, ts_ns, comm, phase, syscall, arg0, arg1, arg2, arg3, path, fd_path, sa_family)`);
  await db.exec(`CREATE VIEW events AS SELECT image, run, ts_ns::BIGINT AS ts_ns, comm, phase, syscall,
    arg0::BIGINT AS arg0, arg1::BIGINT AS arg1, arg2::BIGINT AS arg2, arg3::BIGINT AS arg3,
    NULL::BIGINT AS arg4, NULL::BIGINT AS arg5, path, NULL::VARCHAR AS path2, fd_path,
    sa_family::INTEGER AS sa_family FROM ev`);
  const models = allArgModels();
  await db.exec(signatureSql("events", models));
  await db.exec(modelsTableSql(models));
  await db.exec(argValuesSql());
});

afterAll(() => db.close());

const plain = <T>(rows: T[]): T[] =>
  JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))) as T[];

describe("signature scan", () => {
  it("groups identical events and drops untracked arguments (pointers)", async () => {
    const rows = plain(
      await db.query(`SELECT syscall, a0, a1, a2, calls FROM sig WHERE image = 'web' AND run = 'r1' AND syscall = 'openat'
        ORDER BY calls`),
    );
    expect(rows).toEqual([
      { syscall: "openat", a0: -100, a1: null, a2: 524288, calls: 1 },
      { syscall: "openat", a0: -100, a1: null, a2: 2048, calls: 2 },
    ]);
    const read = plain(await db.query(`SELECT a0, a1, a2, fd_kind FROM sig WHERE syscall = 'read'`));
    expect(read).toEqual([{ a0: null, a1: null, a2: 4096, fd_kind: "path" }]); // buf pointer and fd number dropped
  });

  it("classifies the decorated descriptor", async () => {
    const rows = plain(
      await db.query(`SELECT syscall, fd_kind FROM sig WHERE fd_kind IS NOT NULL ORDER BY syscall`),
    );
    expect(rows).toEqual([
      { syscall: "accept4", fd_kind: "socket:TCP" },
      { syscall: "epoll_wait", fd_kind: "anon_inode:[eventpoll]" },
      { syscall: "read", fd_kind: "path" },
    ]);
  });
});

describe("summaries", () => {
  it("syscall types per image with share and first/last run", async () => {
    const rows = plain(await db.query(`SELECT * FROM (${SYSCALLS_SQL}) WHERE image = 'web'`));
    expect(rows[0]).toEqual({
      image: "web",
      syscall: "openat",
      calls: 4,
      share: 0.5,
      runs: 2,
      first_run: "r1",
      last_run: "r2",
      phases: "runtime,workload",
      processes: "nginx,runc:[2:INIT]",
    });
    expect(rows.map((r) => r.syscall)).toEqual(["openat", "accept4", "epoll_wait", "read", "socket"]);
  });

  it("per run, process and phase", async () => {
    const rows = plain(
      await db.query(`SELECT dim, key, calls, share FROM (${SYSCALLS_BY_SQL})
        WHERE image = 'web' AND syscall = 'openat' ORDER BY dim, key`),
    );
    expect(rows).toEqual([
      { dim: "phase", key: "runtime", calls: 1, share: 1 },
      { dim: "phase", key: "workload", calls: 3, share: 3 / 7 },
      { dim: "process", key: "nginx", calls: 3, share: 3 / 7 },
      { dim: "process", key: "runc:[2:INIT]", calls: 1, share: 1 },
      { dim: "run", key: "r1", calls: 3, share: 3 / 5 },
      { dim: "run", key: "r2", calls: 1, share: 1 / 3 },
      { dim: "run/process/phase", key: "r1/nginx/workload", calls: 2, share: 0.5 },
      { dim: "run/process/phase", key: "r1/runc:[2:INIT]/runtime", calls: 1, share: 1 },
      { dim: "run/process/phase", key: "r2/nginx/workload", calls: 1, share: 1 / 3 },
    ]);
  });

  it("argument values, flag mask unions, AT_FDCWD and directories", async () => {
    const rows = plain(
      await db.query(`SELECT syscall, name, model, calls, distinct_values, top_values, mask_union, directories
        FROM (${ARGS_SQL}) WHERE image = 'web' AND syscall IN ('openat', 'accept4') ORDER BY syscall, pos`),
    );
    expect(rows).toEqual([
      expect.objectContaining({ name: "sockaddr.sa_family", model: "socket_family", distinct_values: 1 }),
      {
        syscall: "accept4",
        name: "fd",
        model: "fd_kind",
        calls: 1,
        distinct_values: 1,
        top_values: { items: [{ entries: { value: "socket:TCP", calls: 1 } }] },
        mask_union: null,
        directories: 0,
      },
      expect.objectContaining({ name: "flags", model: "flags", mask_union: 2048 }),
      expect.objectContaining({ name: "dfd", model: "dirfd", distinct_values: 1 }),
      expect.objectContaining({ name: "filename", model: "path", distinct_values: 3, directories: 2 }),
      expect.objectContaining({
        name: "flags",
        model: "flags",
        distinct_values: 2,
        mask_union: 2048 | 524288,
      }),
    ]);
    const dirfd = plain(await db.query(`SELECT DISTINCT value FROM argv WHERE model = 'dirfd'`));
    expect(dirfd).toEqual([{ value: "AT_FDCWD" }]);
  });

  it("magnitudes: counted with their role, never candidates, coverage units or paper tuples", async () => {
    const rows = plain(
      await db.query(`SELECT syscall, name, role, model, candidate, distinct_values
        FROM (${ARGS_SQL}) WHERE syscall IN ('epoll_wait', 'read', 'openat') ORDER BY syscall, pos`),
    );
    expect(rows.filter((r) => r.model === "magnitude")).toEqual([
      {
        syscall: "epoll_wait",
        name: "maxevents",
        role: "magnitude",
        model: "magnitude",
        candidate: false,
        distinct_values: 1,
      },
      {
        syscall: "epoll_wait",
        name: "timeout",
        role: "magnitude",
        model: "magnitude",
        candidate: false,
        distinct_values: 1,
      },
      {
        syscall: "read",
        name: "count",
        role: "magnitude",
        model: "magnitude",
        candidate: false,
        distinct_values: 1,
      },
    ]);
    expect(rows.filter((r) => r.model !== "magnitude").every((r) => r.candidate)).toBe(true);
    const units = plain(
      await db.query<{ unit: string }>(`SELECT DISTINCT unit FROM (${unitsSql("arg")})`),
    ).map((r) => r.unit);
    expect(units.filter((u) => /maxevents|timeout|count=/.test(u))).toEqual([]);
    const paper = plain(await db.query(`SELECT DISTINCT syscall FROM argv WHERE paper AND NOT candidate`));
    expect(paper).toEqual([]);
  });

  it("paper tuples: distinct discrete tuples of the top types, path models flagged", async () => {
    const rows = plain(await db.query(`SELECT * FROM (${PAPER_TUPLES_SQL}) WHERE image = 'db'`));
    expect(rows).toEqual([{ image: "db", syscall: "mmap", tuples: 2, has_path: false }]);
    const web = plain(
      await db.query(`SELECT syscall, has_path FROM (${PAPER_TUPLES_SQL}) WHERE image = 'web'`),
    );
    expect(web).toContainEqual({ syscall: "openat", has_path: true });
  });

  it("coverage units outside the runtime phase, with generalized path directories", async () => {
    const types = plain(await db.query(`SELECT run, unit FROM (${unitsSql("type")}) WHERE image = 'web'`));
    expect(types).toEqual([
      { run: "r1", unit: "accept4" },
      { run: "r1", unit: "openat" },
      { run: "r1", unit: "socket" },
      { run: "r2", unit: "epoll_wait" },
      { run: "r2", unit: "openat" },
      { run: "r2", unit: "read" },
    ]);
    const args = plain(
      await db.query(
        `SELECT unit, calls FROM (${unitsSql("arg")}) WHERE image = 'web' AND run = 'r1' AND unit LIKE 'openat%'`,
      ),
    );
    expect(args).toEqual([
      { unit: "openat", calls: 2 },
      { unit: "openat(dfd=AT_FDCWD)", calls: 2 },
      { unit: "openat(filename=/srv/www/)", calls: 2 },
      { unit: "openat(flags=2048)", calls: 2 },
    ]);
  });

  it("run spans", async () => {
    const rows = plain(await db.query(RUN_SPANS_SQL));
    expect(rows).toEqual([
      { image: "db", run: "r1", start_ns: 50, end_ns: 60 },
      { image: "web", run: "r1", start_ns: 100, end_ns: 500 },
      { image: "web", run: "r2", start_ns: 1000, end_ns: 1700 },
    ]);
  });
});
