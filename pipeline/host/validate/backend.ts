/**
 * The backend a validation starts its containers on: runc bundles (no daemon; the image's root
 * file system, probes bind-mounted) or a private Docker engine (the experiment's image built, and
 * an image with the probes in it). Everything made is on the cleanup list.
 */
import { join } from "node:path";
import type { HostInfo } from "../../../schemas/validation-report.ts";
import type { Cleanup } from "../cleanup.ts";
import { Docker } from "../docker.ts";
import { startEngine } from "../dockerd.ts";
import type { LoadedExperiment } from "../experiment-file.ts";
import { buildImage, rootfsFor } from "../images.ts";
import { readProfileFile } from "../../profile/load.ts";
import { buildProbes, probeImage } from "../probes.ts";
import { Runc } from "../runc.ts";
import { holdingPort } from "../port-lock.ts";
import { startSession } from "../session.ts";
import { buildBench } from "./micro.ts";
import { hostInfoCached, type Ctx, type ValidateOptions } from "./context.ts";

/** A started backend: what it runs on, how to start a container, and notes for the report. */
export interface Backend {
  host: HostInfo;
  start: Ctx["start"];
  notes: string[];
  /** the probe image (or bind mount) also holds the syscall micro-benchmark. */
  bench: boolean;
}

/** The probes (those asked for) and, for the overhead part, the micro-benchmark, in one folder. */
async function probesAndBench(le: LoadedExperiment, cleanup: Cleanup, wantProbes: boolean, bench: boolean) {
  if (!wantProbes && !bench) return null;
  const dir = await buildProbes(cleanup, wantProbes ? le.exp.probes! : []);
  if (bench) await buildBench(dir);
  return dir;
}

/** Prepares `o.backend` for the experiment (with the probes when `wantProbes`). */
export async function startBackend(
  le: LoadedExperiment,
  o: ValidateOptions,
  cleanup: Cleanup,
  wantProbes: boolean,
): Promise<Backend> {
  const spec = le.exp.container ?? {};
  if (o.backend === "runc") {
    const host = { ...(await hostInfoCached()), docker: null };
    const rootfs = await rootfsFor(le.exp.image, le.base, cleanup);
    const bench = o.parts.has("overhead");
    const probesDir = await probesAndBench(le, cleanup, wantProbes, bench);
    const runc = new Runc(cleanup, rootfs, readProfileFile);
    const notes = ["runc backend: runc has no default profile, so 'runtime default' runs are unconfined"];
    const start: Ctx["start"] = (conf, withProbes) =>
      holdingPort(spec, () =>
        runc.start(spec, conf.kind === "default" ? { kind: "unconfined" } : conf, {
          binds:
            withProbes && probesDir
              ? [{ src: join(probesDir, "sandmine-probes"), dst: "/sandmine-probes" }]
              : [],
        }),
      );
    return { host, start, notes, bench };
  }
  const engine = await startEngine(cleanup, { strace: false, log: o.log });
  const docker = new Docker(engine, cleanup);
  const host = { ...(await hostInfoCached()), docker: await docker.versions() };
  const image = await buildImage(docker, cleanup, le.exp.image, le.base, o.log);
  const bench = o.parts.has("overhead");
  const probesDir = await probesAndBench(le, cleanup, wantProbes, bench);
  const probeImg = probesDir ? await probeImage(docker, cleanup, probesDir, image) : null;
  const start: Ctx["start"] = (conf, withProbes) =>
    startSession(docker, spec, withProbes && probeImg ? probeImg : image, conf);
  return { host, start, notes: [], bench };
}
