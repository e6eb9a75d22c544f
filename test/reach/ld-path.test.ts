/** ld.so's search order (ld.so(8)) and ld.so.conf parsing, and root-confined symlink resolution. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ldConfDirs } from "../../pipeline/reach/ld-conf.ts";
import { resolveIn } from "../../pipeline/reach/rootfs.ts";
import { candidates, parseLdConf } from "../../stages/reach/ld-path.ts";

describe("ld.so search order", () => {
  const from = { dir: "/opt/app/bin", rpath: "/r1:$ORIGIN/../lib", runpath: null, machine: 62 };
  it("DT_RPATH (with $ORIGIN) when there is no DT_RUNPATH, then ld.so.conf, then the defaults", () => {
    expect(candidates("libx.so.1", from, ["/usr/local/lib"])).toEqual([
      "/r1/libx.so.1",
      "/opt/app/bin/../lib/libx.so.1",
      "/usr/local/lib/libx.so.1",
      "/lib/x86_64-linux-gnu/libx.so.1",
      "/usr/lib/x86_64-linux-gnu/libx.so.1",
      "/lib64/libx.so.1",
      "/usr/lib64/libx.so.1",
      "/lib/libx.so.1",
      "/usr/lib/libx.so.1",
    ]);
  });
  it("DT_RUNPATH replaces DT_RPATH; a name with a slash is taken as it is", () => {
    expect(candidates("libx.so.1", { ...from, runpath: "${ORIGIN}/rp" }, [])[0]).toBe(
      "/opt/app/bin/rp/libx.so.1",
    );
    expect(candidates("libx.so.1", { ...from, runpath: "/rp" }, []).includes("/r1/libx.so.1")).toBe(false);
    expect(candidates("/abs/libx.so", from, [])).toEqual(["/abs/libx.so"]);
  });
  it("ld.so.conf: directories, includes, comments", () => {
    expect(
      parseLdConf("# c\ninclude /etc/ld.so.conf.d/*.conf\n/usr/local/lib\n\n/opt/a:/opt/b # x\n"),
    ).toEqual({
      dirs: ["/usr/local/lib", "/opt/a", "/opt/b"],
      includes: ["/etc/ld.so.conf.d/*.conf"],
    });
  });
});

describe("inside a root filesystem", () => {
  const root = mkdtempSync(join(tmpdir(), "sandmine-reach-root-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, "usr/lib/x86_64-linux-gnu"), { recursive: true });
  mkdirSync(join(root, "etc/ld.so.conf.d"), { recursive: true });
  writeFileSync(join(root, "usr/lib/x86_64-linux-gnu/libz.so.1.2.13"), "x");
  symlinkSync("libz.so.1.2.13", join(root, "usr/lib/x86_64-linux-gnu/libz.so.1"));
  symlinkSync("usr/lib", join(root, "lib"));
  symlinkSync("/etc/passwd", join(root, "usr/lib/escape")); // absolute: must stay inside the root
  writeFileSync(join(root, "etc/ld.so.conf"), "include /etc/ld.so.conf.d/*.conf\n");
  writeFileSync(join(root, "etc/ld.so.conf.d/b.conf"), "/opt/b\n");
  writeFileSync(join(root, "etc/ld.so.conf.d/a.conf"), "/opt/a\n");

  it("follows relative and absolute symlinks inside the root", async () => {
    expect(await resolveIn(root, "/lib/x86_64-linux-gnu/libz.so.1")).toEqual({
      host: join(root, "usr/lib/x86_64-linux-gnu/libz.so.1.2.13"),
      path: "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13",
    });
    expect(await resolveIn(root, "/usr/lib/escape")).toBeUndefined(); // the root has no /etc/passwd
    expect(await resolveIn(root, "/nope")).toBeUndefined();
  });
  it("reads the image's ld.so.conf with its includes in sorted order", async () => {
    expect(await ldConfDirs(root)).toEqual(["/opt/a", "/opt/b"]);
  });
});
