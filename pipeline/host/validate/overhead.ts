/**
 * The overhead benchmark: the experiment's benchmark command against a fresh container of each
 * configuration (unconfined, Docker's default, every profile), all interleaved round by round
 * (the order rotated each round), the throughput of each round read from the command's output,
 * the CPU time the container's cgroup spent during the measured run (per operation), and the
 * syscall micro-benchmark run in the same container right after. Ratios to unconfined get
 * paired bootstrap 95 % intervals (stages/host/bootstrap.ts, seed 1).
 */
import type { OverheadSpec } from "../../../schemas/experiment.ts";
import type { DockerProfile } from "../../../schemas/seccomp-profile.ts";
import type { OverheadResult } from "../../../schemas/validation-report.ts";
import { DOCKER_DEFAULT_PROFILE } from "../../../schemas/generated/docker-default.ts";
import { cpuPerOp, overheadRows, throughputOf } from "../../../stages/host/overhead.ts";
import { microRows, type BenchLine } from "../../../stages/host/micro.ts";
import type { Confinement, Session } from "../types.ts";
import { cpuMeter } from "./cgroup-cpu.ts";
import type { Ctx, Resolved } from "./context.ts";
import { runBench } from "./micro.ts";
import { startRetrying } from "./start-retry.ts";

const BOOT = { resamples: 2000, level: 0.95, seed: 1 };

interface Round {
  throughput: number;
  cpuPerOp: number | null;
  cpuSource: string | null;
  bench: BenchLine[] | null;
}

/** The benchmark over `profiles` and the two baselines (null when the experiment has none). */
export async function overhead(c: Ctx, profiles: Resolved[]): Promise<OverheadResult | null> {
  const spec = c.le.exp.overhead;
  if (!spec) return null;
  const confs: [string, Confinement, DockerProfile | null][] = [
    ["unconfined", { kind: "unconfined" }, null],
    ["docker-default", { kind: "default" }, DOCKER_DEFAULT_PROFILE],
    ...profiles.map((p): [string, Confinement, DockerProfile] => [
      p.label,
      { kind: "profile", file: p.file },
      p.profile,
    ]),
  ];
  const rounds = spec.rounds ?? 5;
  const values: Record<string, number[]> = Object.fromEntries(confs.map(([l]) => [l, []]));
  const cpu: Record<string, (number | null)[]> = Object.fromEntries(confs.map(([l]) => [l, []]));
  const bench: Record<string, (BenchLine[] | null)[]> = Object.fromEntries(confs.map(([l]) => [l, []]));
  let cpuSource: string | null = null;
  for (let i = 0; i < rounds; i++) {
    // rotate the order each round, so no configuration always runs first after a start-up
    for (let j = 0; j < confs.length; j++) {
      const [label, conf] = confs[(i + j) % confs.length]!;
      const r = await measure(c, spec, label, conf);
      values[label]!.push(r.throughput);
      cpu[label]!.push(r.cpuPerOp);
      bench[label]!.push(r.bench);
      cpuSource ??= r.cpuSource;
    }
    c.o.log(
      `overhead round ${i + 1}/${rounds}: ${confs.map(([l]) => `${l} ${values[l]!.at(-1)!.toFixed(1)}`).join(", ")}`,
    );
  }
  const labels = confs.map(([l]) => l);
  const anyBench = Object.values(bench).some((rs) => rs.some((r) => r !== null));
  return {
    command: spec.command.host ?? JSON.stringify(spec.command.exec),
    unit: spec.unit ?? "ops/s",
    rounds,
    rows: overheadRows(labels, values, cpuSource ? cpu : undefined, BOOT),
    cpuSource,
    bootstrap: BOOT,
    micro: anyBench
      ? microRows(labels, bench, Object.fromEntries(confs.map(([l, , p]) => [l, p])), BOOT)
      : null,
  };
}

/** The PID of the session's container on the Docker backend (null elsewhere). */
async function containerPid(s: Session): Promise<number | null> {
  const r = await s.run({ host: 'docker inspect -f "{{.State.Pid}}" "$SANDMINE_CONTAINER"', timeout: 30 });
  const pid = Number(r.stdout.trim());
  return r.status === 0 && pid > 0 ? pid : null;
}

/**
 * One round of one configuration: a fresh container, the warm-up runs, one measured run with the
 * cgroup's CPU time read around it, then the micro-benchmark.
 */
async function measure(c: Ctx, spec: OverheadSpec, label: string, conf: Confinement): Promise<Round> {
  const cmd = spec.command;
  const s = await startRetrying(c, conf, c.bench === true, `overhead under ${label}`);
  try {
    for (let w = 0; w < (spec.warmup ?? 1); w++) await s.run(cmd);
    const pid = await containerPid(s);
    const meter = pid === null ? null : cpuMeter(pid);
    const cpu0 = meter?.read() ?? null;
    const r = await s.run(cmd);
    const cpu1 = meter?.read() ?? null;
    if (r.status !== 0)
      throw new Error(
        `benchmark under ${label} failed (status ${r.status ?? r.signal}): ${r.stderrTail.trim()}`,
      );
    const v = throughputOf(spec.throughput, r.stdout, r.seconds);
    if (v === null)
      throw new Error(
        `benchmark under ${label}: no throughput in its output (${spec.throughput.regex ?? "ops"})`,
      );
    const cpuSeconds = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
    return {
      throughput: v,
      cpuPerOp: cpuPerOp(cpuSeconds, spec.throughput, v, r.seconds),
      cpuSource: meter?.source ?? null,
      bench: c.bench ? await runBench(s) : null,
    };
  } finally {
    await s.stop();
  }
}
