/**
 * The daemon-less backend: runc bundles. The rootfs is a folder bind-mounted read-only (the
 * busybox tree, or the cached Debian tree of datasets/record/build-images.sh), `config.json` comes
 * from `runc spec` with the experiment's command, Docker's default capabilities, writable tmpfs on
 * /tmp and /run, the host network when asked, and the profile in `linux.seccomp` (OCI form,
 * exact 64-bit values). runc has no default profile: "runtime default" is unconfined here.
 * Containers are killed and deleted by id, bundles and runc's state folder removed at the end.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ContainerSpec } from "../../schemas/experiment.ts";
import { DOCKER_DEFAULT_CAPS } from "../../stages/seccomp/target.ts";
import { ociJson } from "../../stages/profile/render.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import type { Cleanup } from "./cleanup.ts";
import { ownedTempDir } from "./owned-temp.ts";
import { uniqueName } from "./docker.ts";
import { run, runOk } from "./proc.ts";
import { sleep, waitReady } from "./ready.ts";
import type { Confinement, Session } from "./types.ts";

export class Runc {
  private readonly root: string;

  constructor(
    private readonly cleanup: Cleanup,
    /** rootfs folder shared by every container of the run (mounted read-only). */
    private readonly rootfs: string,
    private readonly readProfile: (file: string) => DockerProfile,
  ) {
    this.root = ownedTempDir(cleanup, "runc");
  }

  private runc(args: string[], timeout = 60) {
    return run("runc", ["--root", join(this.root, "state"), ...args], { timeout });
  }

  private async config(
    spec: ContainerSpec,
    conf: Confinement,
    binds: { src: string; dst: string }[],
    args: string[],
  ): Promise<string> {
    const dir = join(this.root, "spec");
    mkdirSync(dir, { recursive: true });
    rmSync(join(dir, "config.json"), { force: true });
    await runOk("runc", ["spec", "-b", dir], { timeout: 30 });
    const c = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    c.process.terminal = false;
    c.process.args = args;
    c.process.noNewPrivileges = false; // as Docker: runc then loads the filter before dropping privileges
    c.process.env = [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      ...Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    ];
    for (const set of ["bounding", "effective", "permitted"])
      c.process.capabilities[set] = [...DOCKER_DEFAULT_CAPS];
    delete c.process.capabilities.ambient;
    if (spec.user && /^\d+(:\d+)?$/.test(spec.user)) {
      const [u, g] = spec.user.split(":");
      c.process.user = { uid: Number(u), gid: Number(g ?? u) };
    }
    c.root = { path: this.rootfs, readonly: true };
    for (const d of ["/tmp", "/run", ...(spec.tmpfs ?? [])])
      c.mounts.push({
        destination: d,
        type: "tmpfs",
        source: "tmpfs",
        options: ["nosuid", "nodev", "mode=1777"],
      });
    for (const b of binds)
      c.mounts.push({ destination: b.dst, type: "bind", source: b.src, options: ["rbind", "ro"] });
    if (spec.network === "host")
      c.linux.namespaces = c.linux.namespaces.filter((n: { type: string }) => n.type !== "network");
    const placeholder = "__SANDMINE_SECCOMP__";
    if (conf.kind === "profile") c.linux.seccomp = placeholder;
    const text = JSON.stringify(c, null, 1);
    return conf.kind === "profile"
      ? text.replace(JSON.stringify(placeholder), seccompObject(this.readProfile(conf.file)))
      : text;
  }

  /** Starts a container; `binds` are extra read-only bind mounts (the probes). */
  async start(
    spec: ContainerSpec,
    conf: Confinement,
    o: { binds?: { src: string; dst: string }[]; command?: string[] } = {},
  ): Promise<Session> {
    const args = o.command ?? spec.command;
    if (!args)
      throw new Error("the runc backend needs container.command (runc does not know the image's CMD)");
    const id = uniqueName("sandmine");
    const bundle = join(this.root, id);
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, "config.json"), await this.config(spec, conf, o.binds ?? [], args));
    const removeBundle = () => rmSync(bundle, { recursive: true, force: true });
    const remove = this.cleanup.add(`delete runc container ${id}`, async () => {
      await this.runc(["kill", id, "KILL"]);
      await this.runc(["delete", "-f", id]);
      removeBundle();
    });
    // detached: the container keeps runc's stdio, so it goes to a file, not to pipes we wait on
    const log = join(bundle, "..", `${id}.log`);
    const fd = openSync(log, "w");
    const code = await new Promise<number | null>((res) => {
      const child = spawn("runc", ["--root", join(this.root, "state"), "run", "-d", "-b", bundle, id], {
        stdio: ["ignore", fd, fd],
      });
      child.on("close", (c) => res(c));
      child.on("error", () => res(null));
    });
    closeSync(fd);
    const started = Date.now();
    const stop = async () => {
      await this.runc(["kill", id, "TERM"]);
      for (let i = 0; i < (spec.stop_timeout ?? 10) * 10 && (await this.status(id)) === "running"; i++)
        await sleep(100);
      await remove();
      rmSync(log, { force: true });
    };
    if (code !== 0) {
      const why = readFileSync(log, "utf8").trim().slice(-500);
      await stop();
      throw new Error(`runc run failed: ${why}`);
    }
    const session: Session = {
      id,
      started,
      stop,
      run: (t) => {
        const timeout = t.timeout ?? 60;
        if (t.exec) return this.runc(["exec", id, ...t.exec], timeout);
        return run("sh", ["-c", t.host!], {
          timeout,
          env: { ...process.env, SANDMINE_CONTAINER: id, SANDMINE_RUNC_ROOT: join(this.root, "state") },
        });
      },
    };
    try {
      await waitReady(session, spec, async () => {
        const st = await this.status(session.id);
        return st === "running" ? null : `container ${st}`;
      });
    } catch (e) {
      const why = readFileSync(log, "utf8").trim().slice(-500);
      await stop();
      throw new Error(`${(e as Error).message}${why ? `; container output: ${why}` : ""}`);
    }
    return session;
  }

  private async status(id: string): Promise<string> {
    const r = await this.runc(["state", id], 30);
    if (r.status !== 0) return "gone";
    return (JSON.parse(r.stdout) as { status: string }).status;
  }
}

/** The `linux.seccomp` object text of a profile (ociJson writes the `{"linux": {"seccomp": …}}` fragment). */
function seccompObject(p: DockerProfile): string {
  const frag = ociJson(p).trim();
  const head = /^\{\s*"linux":\s*\{\s*"seccomp":\s*/.exec(frag);
  const tail = /\s*\}\s*\}$/.exec(frag);
  if (!head || !tail) throw new Error("unexpected OCI fragment shape from ociJson");
  return frag.slice(head[0].length, frag.length - tail[0].length);
}
