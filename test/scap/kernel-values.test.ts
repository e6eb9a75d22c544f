/**
 * PPM flag encodings → kernel values (the kernel values from schemas/generated/consts.ts).
 */
import { describe, expect, it } from "vitest";
import { ppmToKernel } from "../../stages/scap/ppm-flags.ts";

describe("ppmToKernel", () => {
  it.each([
    // table, PPM value, kernel value, PPM names as sysdig prints them
    ["file_flags", 4097, 0o2000000, "O_RDONLY|O_CLOEXEC"],
    ["file_flags", 1, 0, "O_RDONLY"],
    ["file_flags", 2 | 4 | 256, 0o1 | 0o100 | 0o1000, "O_WRONLY|O_CREAT|O_TRUNC"],
    ["file_flags", 5185, 0o4000 | 0o200000 | 0o2000000, "O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC"],
    [
      "clone_flags",
      41990659,
      0x3d0f00,
      "CLONE_FILES|CLONE_FS|CLONE_PARENT_SETTID|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_VM|CLONE_CHILD_CLEARTID|CLONE_SETTLS",
    ],
    ["mmap_flags", 10, 0x22, "MAP_PRIVATE|MAP_ANONYMOUS"],
    ["mmap_flags", 1026, 0x802, "MAP_PRIVATE|MAP_DENYWRITE"],
    ["prot_flags", 5, 5, "PROT_READ|PROT_EXEC"],
    ["socket_families", 10, 10, "AF_INET6"],
    ["futex_operations", 129, 129, "FUTEX_WAKE|FUTEX_PRIVATE_FLAG"],
    ["access_flags", 4, 4, "R_OK"],
    ["fcntl_commands", 3, 2, "F_SETFD"],
    ["fcntl_commands", 26, 1030, "F_DUPFD_CLOEXEC"],
    ["lseek_whence", 2, 2, "SEEK_END"],
    ["rlimit_resources", 7, 7, "RLIMIT_NOFILE"],
  ])("%s %d → %d", (table, ppm, kernel, names) => {
    expect(ppmToKernel(table, ppm)).toEqual({ value: kernel, names, unknown: [] });
  });

  it("drops libsinsp-internal clone bits (PPM_CL_CLONE_INVERTED, …) from the kernel value", () => {
    expect(ppmToKernel("clone_flags", (1 << 16) | 1)).toEqual({
      value: 0x400,
      names: "CLONE_FILES",
      unknown: [],
    });
  });

  it("keeps bits with no kernel meaning as unknown and gives no value", () => {
    expect(ppmToKernel("mmap_flags", 1 << 5).value).toBeNull(); // MAP_RENAME: not Linux
    expect(ppmToKernel("mmap_flags", 1 << 5).unknown).toEqual(["MAP_RENAME"]);
    expect(ppmToKernel("file_flags", 1 << 20).unknown).toEqual(["0x100000"]);
    expect(ppmToKernel("no_such_table", 3)).toEqual({ value: null, names: "", unknown: ["no_such_table:3"] });
  });
});
