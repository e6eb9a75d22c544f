/**
 * The overhead benchmark: the experiment's benchmark command against a fresh container of each
 * configuration (unconfined, Docker's default, every profile), all interleaved round by round,
 * the throughput of each round read from the command's output.
 */
import type { OverheadSpec } from "../../../schemas/experiment.ts";
import type { OverheadResult } from "../../../schemas/validation-report.ts";
import { overheadRows, throughputOf } from "../../../stages/host/overhead.ts";
import type { Confinement } from "../types.ts";
import type { Ctx, Resolved } from "./context.ts";

/** The benchmark over `profiles` and the two baselines (null when the experiment has none). */
export async function overhead(c: Ctx, profiles: Resolved[]): Promise<OverheadResult | null> {
  const spec = c.le.exp.overhead;
  if (!spec) return null;
  const confs: [string, Confinement][] = [
    ["unconfined", { kind: "unconfined" }],
    ["docker-default", { kind: "default" }],
    ...profiles.map((p): [string, Confinement] => [p.label, { kind: "profile", file: p.file }]),
  ];
  const rounds = spec.rounds ?? 5;
  const values: Record<string, number[]> = Object.fromEntries(confs.map(([l]) => [l, []]));
  for (let i = 0; i < rounds; i++) {
    // rotate the order each round, so no configuration always runs first after a start-up
    for (let j = 0; j < confs.length; j++) {
      const [label, conf] = confs[(i + j) % confs.length]!;
      values[label]!.push(await measure(c, spec, label, conf));
    }
    c.o.log(
      `overhead round ${i + 1}/${rounds}: ${confs.map(([l]) => `${l} ${values[l]!.at(-1)!.toFixed(1)}`).join(", ")}`,
    );
  }
  return {
    command: spec.command.host ?? JSON.stringify(spec.command.exec),
    unit: spec.unit ?? "ops/s",
    rounds,
    rows: overheadRows(
      confs.map(([l]) => l),
      values,
    ),
  };
}

/** One round of one configuration: a fresh container, the warm-up runs, one measured run. */
async function measure(c: Ctx, spec: OverheadSpec, label: string, conf: Confinement): Promise<number> {
  const cmd = spec.command;
  const s = await c.start(conf);
  try {
    for (let w = 0; w < (spec.warmup ?? 1); w++) await s.run(cmd);
    const r = await s.run(cmd);
    if (r.status !== 0)
      throw new Error(
        `benchmark under ${label} failed (status ${r.status ?? r.signal}): ${r.stderrTail.trim()}`,
      );
    const v = throughputOf(spec.throughput, r.stdout, r.seconds);
    if (v === null)
      throw new Error(
        `benchmark under ${label}: no throughput in its output (${spec.throughput.regex ?? "ops"})`,
      );
    return v;
  } finally {
    await s.stop();
  }
}
