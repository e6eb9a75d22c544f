/**
 * The Python half of libseccomp.ts, run by Debian's /usr/bin/python3 with `-c` (kept as a string:
 * the CLI is bundled by esbuild, so no file beside the module can be relied on).
 */
export const LIBSECCOMP_PY = String.raw`# Compiles an OCI linux.seccomp profile with the installed libseccomp exactly as runc 1.1.5 does
# (libcontainer/seccomp/seccomp_linux.go: InitSeccomp + matchCall) and writes the BPF program
# (seccomp_export_bpf) to the path given. Prints a JSON summary: instruction count, names
# skipped, rules libseccomp refused, and the largest syscall number per listed arch (runc's
# findLastSyscalls, for its ENOSYS stub). Run with /usr/bin/python3 (Debian's python3-seccomp).
# stdin: {"profile": <OCI linux.seccomp>}; argv[1]: output path of the BPF program.
import ctypes
import json
import os
import sys

import seccomp

_lib = ctypes.CDLL("libseccomp.so.2")
_lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
_lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
_lib.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
_lib.seccomp_syscall_resolve_name_arch.restype = ctypes.c_int

ARCH = {
    "SCMP_ARCH_X86_64": seccomp.Arch.X86_64,
    "SCMP_ARCH_X86": seccomp.Arch.X86,
    "SCMP_ARCH_X32": seccomp.Arch.X32,
    "SCMP_ARCH_AARCH64": seccomp.Arch.AARCH64,
    "SCMP_ARCH_ARM": seccomp.Arch.ARM,
}
OPS = {
    "SCMP_CMP_NE": seccomp.NE,
    "SCMP_CMP_LT": seccomp.LT,
    "SCMP_CMP_LE": seccomp.LE,
    "SCMP_CMP_EQ": seccomp.EQ,
    "SCMP_CMP_GE": seccomp.GE,
    "SCMP_CMP_GT": seccomp.GT,
    "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ,
}
U64 = (1 << 64) - 1


def action(name, errno):
    # runc getAction: KILL is KILL_THREAD; ERRNO/TRACE default to EPERM
    e = 1 if errno is None else int(errno) & 0xFFFF
    return {
        "SCMP_ACT_KILL": seccomp.KILL,
        "SCMP_ACT_KILL_THREAD": seccomp.KILL,
        "SCMP_ACT_KILL_PROCESS": seccomp.KILL_PROCESS,
        "SCMP_ACT_TRAP": seccomp.TRAP,
        "SCMP_ACT_ERRNO": seccomp.ERRNO(e),
        "SCMP_ACT_TRACE": seccomp.TRACE(e),
        "SCMP_ACT_LOG": seccomp.LOG,
        "SCMP_ACT_ALLOW": seccomp.ALLOW,
        "SCMP_ACT_NOTIFY": seccomp.NOTIFY,
    }[name]


def main():
    req = json.load(sys.stdin)
    prof = req["profile"]
    default = action(prof["defaultAction"], prof.get("defaultErrnoRet"))
    f = seccomp.SyscallFilter(default)
    for tok in prof.get("architectures") or []:
        try:
            f.add_arch(ARCH[tok])
        except RuntimeError:
            pass  # already there (the native arch): libseccomp-golang ignores EEXIST too
    skipped, refused = [], []
    for rule in prof.get("syscalls") or []:
        act = action(rule["action"], rule.get("errnoRet"))
        args = rule.get("args") or []
        conds = [
            seccomp.Arg(a["index"], OPS[a["op"]], int(a.get("value", 0)) & U64, int(a.get("valueTwo", 0)) & U64)
            for a in args
        ]
        counts = {}
        for a in args:
            counts[a["index"]] = counts.get(a["index"], 0) + 1
        groups = [[c] for c in conds] if any(n > 1 for n in counts.values()) else [conds]
        for name in rule["names"]:
            if act == default:
                continue  # runc: "This rule is redundant, silently skip it"
            if _lib.seccomp_syscall_resolve_name(name.encode()) == -1:
                skipped.append(name)
                continue
            for g in groups:
                try:
                    f.add_rule(act, name, *g)
                except Exception as e:  # runc fails the container start here
                    refused.append({"name": name, "error": str(e)})
    if os.environ.get("SANDMINE_PFC"):  # debugging: libseccomp's pseudo code on stderr
        f.export_pfc(sys.stderr)
    with open(sys.argv[1], "wb") as out:
        f.export_bpf(out)
    last = {}
    for tok in prof.get("architectures") or []:
        if tok not in ARCH:
            continue
        largest = 0
        for rule in prof.get("syscalls") or []:
            for name in rule["names"]:
                nr = _lib.seccomp_syscall_resolve_name_arch(int(ARCH[tok]), name.encode())
                if nr != -1 and nr > largest:
                    largest = nr
        if largest:
            last[tok] = largest
    with open(sys.argv[1], "rb") as fh:
        size = len(fh.read()) // 8
    json.dump({"instructions": size, "skipped": skipped, "refused": refused, "lastSyscalls": last}, sys.stdout)


main()
`;
