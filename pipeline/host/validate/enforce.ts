/**
 * Enforce: the tests (and use cases) run against one container, under a profile and without
 * one; a test that passes unconfined and fails enforced is a regression.
 */
import type { TestSpec } from "../../../schemas/experiment.ts";
import type { EnforceResult, TestOutcome } from "../../../schemas/validation-report.ts";
import type { Window } from "../../../stages/host/audit.ts";
import { runTest } from "../session.ts";
import type { Confinement } from "../types.ts";
import type { Ctx } from "./context.ts";

/** The outcome of one container's tests. */
export interface TestsRun {
  tests: TestOutcome[];
  /** epoch-ms span of each test, for attributing audit records */
  windows: Window[];
  start: number;
  end: number;
  /** why the container did not start, or null */
  error: string | null;
}

/** Runs the tests (and use cases) against one container; windows are epoch-ms spans per test. */
export async function runTests(
  c: Ctx,
  conf: Confinement,
  withUseCases: boolean,
  only?: ReadonlySet<string>,
): Promise<TestsRun> {
  const { exp } = c.le;
  const start = Date.now();
  let s;
  try {
    s = await c.start(conf);
  } catch (e) {
    return { tests: [], windows: [], start, end: Date.now(), error: (e as Error).message };
  }
  const tests: TestOutcome[] = [];
  const windows: Window[] = [];
  try {
    const lists: [TestSpec[], "test" | "use_case"][] = [[exp.tests, "test"]];
    if (withUseCases) lists.push([exp.use_cases ?? [], "use_case"]);
    for (const [list, kind] of lists) {
      for (const t of list) {
        if (only && !only.has(t.name)) continue;
        const t0 = Date.now();
        tests.push(await runTest(s, t, kind));
        windows.push({ name: t.name, startMs: t0, endMs: Date.now() });
      }
    }
  } finally {
    await s.stop();
  }
  return { tests, windows, start, end: Date.now(), error: null };
}

/** The enforce rows: each unconfined test beside the same test under the profile. */
export function enforceResult(unconfined: TestOutcome[], r: TestsRun): EnforceResult {
  const rows = unconfined.map((u) => {
    const e = r.tests.find((t) => t.name === u.name) ?? {
      ...u,
      passed: false,
      reason: `not run: ${r.error ?? "container failed"}`,
      status: null,
      stdoutTail: "",
      stderrTail: "",
    };
    return { name: u.name, kind: u.kind, unconfined: u, enforced: e, regression: u.passed && !e.passed };
  });
  return {
    started: r.error === null,
    startError: r.error,
    rows,
    regressions: rows.filter((x) => x.regression).length,
  };
}
