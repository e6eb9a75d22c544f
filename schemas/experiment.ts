/**
 * An experiment (`sandmine record|validate EXPERIMENT.yaml`): the image, how its container runs,
 * the tests and use cases run against it, the attack probes, the overhead benchmark, the number
 * of recorded runs and the profiles to validate. Declared once as a shape (schemas/shape.ts), so
 * the types, the checks and the JSON Schema (schemas/json/experiment.schema.json) cannot drift
 * apart. Example: datasets/experiments/busybox.yaml.
 */
import type * as z from "zod";
import {
  argv,
  bool,
  exactlyOne,
  int,
  list,
  num,
  obj,
  oneOf,
  opt,
  record,
  regex,
  req,
  str,
  wordOr,
  ShapeError,
} from "./shape.ts";
import { PROBE_NAMES } from "./probes.ts";

const NAME = { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, what: "a name of letters, digits, '.', '_' and '-'" };
const IMAGE_REF = {
  pattern: /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]+)?$/,
  what: "an image reference (name[:tag], lower case)",
};

/** What a command's result must look like; every given check must hold. */
const expect = obj({
  status: opt(int({ min: 0, max: 255 }).describe("exit status (default 0)")),
  stdout: opt(regex.describe("a regular expression stdout must match (multi-line mode)")),
  stderr: opt(regex.describe("a regular expression stderr must match (multi-line mode)")),
  not_stdout: opt(regex.describe("a regular expression stdout must not match")),
});

/** A command run against the running container: inside it (`exec`, an argv) or on the host (`host`, a shell line). */
const commandFields = {
  exec: opt(argv.describe("run inside the container: an argv (or one word)")),
  host: opt(str().describe("run on the host: a shell line")),
  timeout: opt(num({ min: 0.1 }).describe("seconds (default 60)")),
};

const test = exactlyOne(
  ["exec", "host"],
  obj({
    name: req(str(NAME)),
    ...commandFields,
    expect: opt(expect.describe("what the result must look like (default: exit status 0)")),
    description: opt(str()),
  }),
);

const image = obj({
  name: req(str(IMAGE_REF).describe("the tag the built image gets (removed afterwards)")),
  from: req(oneOf(["busybox", "debian", "engine"] as const).describe("the base the image is built on")),
  packages: opt(
    list(str()).describe(
      "debian: packages that must be in the cached debootstrap tree (build-images.sh rootfs)",
    ),
  ),
  context: opt(
    str().describe(
      "a folder (relative to the experiment file) with a Dockerfile built on top; FROM is replaced by the base",
    ),
  ),
  files: opt(
    record(str()).describe("busybox: extra files, image path → host path (relative to the experiment file)"),
  ),
});

const ready = obj({
  port: opt(int({ min: 1, max: 65535 }).describe("a TCP port on 127.0.0.1 that accepts (network: host)")),
  exec: opt(argv.describe("a command that succeeds (exit 0) once ready")),
  timeout: opt(num({ min: 1 }).describe("seconds (default 60)")),
});

const container = obj({
  command: opt(argv.describe("default: the image's CMD")),
  network: opt(oneOf(["none", "host"] as const).describe("default none")),
  user: opt(str()),
  env: opt(record(str())),
  tmpfs: opt(list(str({ pattern: /^\//, what: "an absolute path" }))),
  read_only: opt(bool),
  ready: opt(ready.describe("when the container is ready for the tests")),
  stop_timeout: opt(int({ min: 0, max: 300 }).describe("seconds (default 10)")),
});

/** `all`, or a list of probe names. */
const probes = wordOr("all", [...PROBE_NAMES], list(oneOf(PROBE_NAMES)));

const overhead = obj({
  command: req(exactlyOne(["exec", "host"], obj(commandFields))),
  throughput: req(
    exactlyOne(
      ["regex", "ops"],
      obj({
        regex: opt(regex.describe("the throughput is the first capture group of this in the output")),
        ops: opt(num({ min: 1 }).describe("the throughput is this many operations over the elapsed seconds")),
      }),
    ),
  ),
  unit: opt(str().describe('default "ops/s"')),
  rounds: opt(int({ min: 5, max: 100 }).describe("default 5")),
  warmup: opt(int({ min: 0, max: 10 }).describe("unmeasured rounds per configuration first, default 1")),
});

const profile = exactlyOne(
  ["file", "synthesize"],
  obj({
    label: opt(str(NAME)),
    file: opt(str().describe("a profile file, relative to the experiment file")),
    synthesize: opt(
      obj({ args: req(oneOf(["none", "safe", "learned"] as const)) }).describe(
        "synthesized from the dataset (validate --dataset)",
      ),
    ),
  }),
);

export const experimentShape = obj({
  name: req(str(NAME)),
  description: opt(str()),
  image: req(image.describe("the image the container runs")),
  container: opt(container.describe("how the container runs")),
  runs: opt(int({ min: 1, max: 50 }).describe("recorded runs (default 1)")),
  tests: req(list(test, { min: 1 }).describe("run against the container, recorded and validated")),
  use_cases: opt(list(test).describe("run under validation only (not recorded)")),
  probes: opt(probes.describe("attack probes: all, or a list of their names")),
  overhead: opt(overhead.describe("the overhead benchmark, all configurations interleaved round by round")),
  profiles: opt(list(profile).describe("the profiles to validate")),
});

export type Experiment = z.output<typeof experimentShape>;
export type TestSpec = Experiment["tests"][number];
export type ContainerSpec = NonNullable<Experiment["container"]>;
export type ImageSpec = Experiment["image"];
export type OverheadSpec = NonNullable<Experiment["overhead"]>;
export type ProfileSpec = NonNullable<Experiment["profiles"]>[number];
export type Expect = NonNullable<TestSpec["expect"]>;

/** Checks that cross fields (the shape checks each field alone). */
export function checkExperiment(e: Experiment): Experiment {
  const seen = new Set<string>();
  for (const [key, items] of [
    ["tests", e.tests],
    ["use_cases", e.use_cases ?? []],
  ] as const) {
    items.forEach((t, i) => {
      if (seen.has(t.name))
        throw new ShapeError([key, i, "name"], `duplicate test name ${JSON.stringify(t.name)}`);
      seen.add(t.name);
    });
  }
  if (e.image.from !== "busybox" && e.image.files)
    throw new ShapeError(["image", "files"], "only for from: busybox (use context: with a Dockerfile)");
  if (e.image.from !== "debian" && e.image.packages)
    throw new ShapeError(["image", "packages"], "only for from: debian");
  if (e.container?.ready?.port !== undefined && e.container.network !== "host")
    throw new ShapeError(
      ["container", "ready", "port"],
      "needs container.network: host (the port is probed on 127.0.0.1)",
    );
  const labels = new Set<string>();
  (e.profiles ?? []).forEach((p, i) => {
    const label = p.label ?? (p.synthesize ? p.synthesize.args : (p.file ?? ""));
    if (labels.has(label))
      throw new ShapeError(["profiles", i], `duplicate profile label ${JSON.stringify(label)}`);
    labels.add(label);
  });
  return e;
}
