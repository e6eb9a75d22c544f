/**
 * Whether a command's result meets a test's expectations: exit status (default 0), stdout and
 * stderr patterns. Returns the first reason it does not, or null.
 */
import type { Expect } from "../../schemas/experiment.ts";

export interface Result {
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export function unmet(expect: Expect | undefined, r: Result, timeout: number): string | null {
  if (r.timedOut) return `timed out after ${timeout} s`;
  if (r.status === null) return `killed by ${r.signal ?? "a signal"}`;
  const want = expect?.status ?? 0;
  if (r.status !== want) return `exit status ${r.status}, expected ${want}`;
  if (expect?.stdout !== undefined && !new RegExp(expect.stdout, "m").test(r.stdout))
    return `stdout does not match /${expect.stdout}/`;
  if (expect?.stderr !== undefined && !new RegExp(expect.stderr, "m").test(r.stderr))
    return `stderr does not match /${expect.stderr}/`;
  if (expect?.not_stdout !== undefined && new RegExp(expect.not_stdout, "m").test(r.stdout))
    return `stdout matches /${expect.not_stdout}/`;
  return null;
}
