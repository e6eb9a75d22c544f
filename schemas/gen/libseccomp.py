# Dumps the syscall name/number table that the installed libseccomp (through Debian's python3-seccomp)
# resolves, per architecture, as JSON on stdout. Run with /usr/bin/python3 (Debian's, which has
# the seccomp module). Called by schemas/gen/libseccomp.ts.
import ctypes
import json
import seccomp

# the name -> number direction as runc asks it (seccomp_syscall_resolve_name_arch, what
# scmp_sys_resolver prints without -t); the Python binding's resolve_syscall(arch, name) applies
# the socketcall/ipc rewrite instead
_lib = ctypes.CDLL("libseccomp.so.2")
_lib.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
_lib.seccomp_syscall_resolve_name_arch.restype = ctypes.c_int
NR_SCMP_ERROR = -1

ARCHES = {
    "x86_64": seccomp.Arch.X86_64,
    "x86": seccomp.Arch.X86,
    "x32": seccomp.Arch.X32,
    "aarch64": seccomp.Arch.AARCH64,
    "arm": seccomp.Arch.ARM,
}
X32_BIT = 0x40000000
# number ranges that hold syscalls: the common table, x32's own 512..547, ARM's private 0xf0000+
RANGES = {
    "x86_64": range(0, 1024),
    "x86": range(0, 1024),
    "x32": [X32_BIT + n for n in range(0, 1024)],
    "aarch64": range(0, 1024),
    "arm": list(range(0, 1024)) + list(range(0xF0000, 0xF0010)),
}


def name_of(arch, nr):
    try:
        n = seccomp.resolve_syscall(arch, nr)
        return n.decode() if isinstance(n, bytes) else n
    except ValueError:
        return None


names = set()
x86_by_name = {}
for key, arch in ARCHES.items():
    for nr in RANGES[key]:
        n = name_of(arch, nr)
        if n is not None:
            names.add(n)
            if key == "x86":
                x86_by_name.setdefault(n, nr)

out = {}
for key, arch in ARCHES.items():
    table = {}
    for n in sorted(names):
        nr = _lib.seccomp_syscall_resolve_name_arch(int(arch), n.encode())
        if nr != NR_SCMP_ERROR:
            table[n] = nr
    out[key] = table
# x86 socketcall/ipc multiplexing: names resolve to pseudo numbers -101..-120 / -201..-224;
# libseccomp adds the rule to socketcall/ipc (a0 == subcall) and to the direct syscall, if any
direct = {}
for n, nr in out["x86"].items():
    if -120 <= nr <= -101 or -224 <= nr <= -201:
        if n in x86_by_name:
            direct[n] = x86_by_name[n]
print(json.dumps({"tables": out, "x86Direct": direct}, sort_keys=True))
