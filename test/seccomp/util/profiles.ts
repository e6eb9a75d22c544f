/**
 * Hand-written profiles for the differential and runc tests: every operator on 64-bit values,
 * several rules per syscall with mixed actions, x86 socketcall/ipc multiplexing, all arches
 * modelled; plus seeded random profiles.
 */
import { seededRandom } from "../../../stages/coverage/rng.ts";
import {
  ACTIONS,
  OPERATORS,
  type Action,
  type ArgCmp,
  type DockerProfile,
  type SyscallRule,
} from "../../../schemas/seccomp-profile.ts";

const ALL_ARCHES = [
  "SCMP_ARCH_X86_64",
  "SCMP_ARCH_X86",
  "SCMP_ARCH_X32",
  "SCMP_ARCH_AARCH64",
  "SCMP_ARCH_ARM",
];
const BIG = 0xffffffff00000001n;

export const OPERATORS_PROFILE: DockerProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 1,
  architectures: ALL_ARCHES,
  syscalls: [
    { names: ["read", "write", "close"], action: "SCMP_ACT_ALLOW" },
    {
      names: ["openat"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 2, value: 0o100, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }],
    },
    { names: ["lseek"], action: "SCMP_ACT_ALLOW", args: [{ index: 2, value: 2, op: "SCMP_CMP_LE" }] },
    { names: ["dup3"], action: "SCMP_ACT_ALLOW", args: [{ index: 2, value: 0x80000, op: "SCMP_CMP_NE" }] },
    {
      names: ["mmap"],
      action: "SCMP_ACT_ALLOW",
      args: [
        { index: 2, value: 4, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" },
        { index: 3, value: 0x22, op: "SCMP_CMP_EQ" },
      ],
    },
    { names: ["kill"], action: "SCMP_ACT_ALLOW", args: [{ index: 1, value: 9, op: "SCMP_CMP_LT" }] },
    { names: ["tgkill"], action: "SCMP_ACT_ALLOW", args: [{ index: 2, value: 15, op: "SCMP_CMP_GE" }] },
    { names: ["prctl"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 40, op: "SCMP_CMP_GT" }] },
    { names: ["madvise"], action: "SCMP_ACT_ALLOW", args: [{ index: 1, value: BIG, op: "SCMP_CMP_GT" }] },
    { names: ["mremap"], action: "SCMP_ACT_ALLOW", args: [{ index: 1, value: BIG, op: "SCMP_CMP_LE" }] },
    {
      names: ["msync"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value: 0xffffffff, op: "SCMP_CMP_EQ" }],
    },
    {
      names: ["fcntl"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 1, value: 0xffffffffn, valueTwo: 0xfffffff6n, op: "SCMP_CMP_MASKED_EQ" }],
    },
    {
      names: ["ioctl"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 1, value: 0xffffffff00000000n, valueTwo: 0x100000000n, op: "SCMP_CMP_MASKED_EQ" }],
    },
    // two conditions on one argument: runc splits them into two rules (OR)
    {
      names: ["getrandom"],
      action: "SCMP_ACT_ALLOW",
      args: [
        { index: 2, value: 1, op: "SCMP_CMP_EQ" },
        { index: 2, value: 2, op: "SCMP_CMP_EQ" },
      ],
    },
    // valueTwo outside the mask: libseccomp masks it
    {
      names: ["flock"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 1, value: 0xf, valueTwo: 0x13, op: "SCMP_CMP_MASKED_EQ" }],
    },
    {
      names: ["fadvise64"],
      action: "SCMP_ACT_ALLOW",
      args: [
        { index: 0, value: 3, op: "SCMP_CMP_GE" },
        { index: 1, value: 10, op: "SCMP_CMP_LT" },
        { index: 3, value: 0, op: "SCMP_CMP_NE" },
      ],
    },
  ],
};

export const MIXED_PROFILE: DockerProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 38,
  architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
  syscalls: [
    { names: ["read"], action: "SCMP_ACT_ALLOW" },
    {
      names: ["read"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 5,
      args: [{ index: 0, value: 3, op: "SCMP_CMP_EQ" }],
    },
    {
      names: ["write"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 9,
      args: [{ index: 0, value: 2, op: "SCMP_CMP_EQ" }],
    },
    { names: ["write"], action: "SCMP_ACT_ALLOW" },
    {
      names: ["pread64"],
      action: "SCMP_ACT_ALLOW",
      args: [
        { index: 0, value: 1, op: "SCMP_CMP_EQ" },
        { index: 1, value: 2, op: "SCMP_CMP_EQ" },
      ],
    },
    {
      names: ["pread64"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 4,
      args: [{ index: 0, value: 1, op: "SCMP_CMP_EQ" }],
    },
    {
      names: ["pwrite64"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 4,
      args: [{ index: 0, value: 1, op: "SCMP_CMP_EQ" }],
    },
    {
      names: ["pwrite64"],
      action: "SCMP_ACT_ALLOW",
      args: [
        { index: 0, value: 1, op: "SCMP_CMP_EQ" },
        { index: 1, value: 2, op: "SCMP_CMP_EQ" },
      ],
    },
    { names: ["readv"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 1, op: "SCMP_CMP_NE" }] },
    {
      names: ["readv"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 4,
      args: [{ index: 0, value: 5, op: "SCMP_CMP_LE" }],
    },
    { names: ["readv"], action: "SCMP_ACT_TRAP", args: [{ index: 0, value: 3, op: "SCMP_CMP_GE" }] },
    { names: ["writev"], action: "SCMP_ACT_LOG", args: [{ index: 1, value: 100, op: "SCMP_CMP_GT" }] },
    {
      names: ["writev"],
      action: "SCMP_ACT_KILL_PROCESS",
      args: [{ index: 1, value: 200, op: "SCMP_CMP_GT" }],
    },
    { names: ["writev"], action: "SCMP_ACT_ALLOW", args: [{ index: 2, value: 7, op: "SCMP_CMP_EQ" }] },
    { names: ["ptrace"], action: "SCMP_ACT_KILL" },
    { names: ["personality"], action: "SCMP_ACT_TRACE", errnoRet: 3 },
    { names: ["socket"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 1, op: "SCMP_CMP_EQ" }] },
    {
      names: ["socket"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 97,
      args: [
        { index: 0, value: 16, op: "SCMP_CMP_EQ" },
        { index: 2, value: 9, op: "SCMP_CMP_EQ" },
      ],
    },
    {
      names: ["connect", "sendto", "send", "recv"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 2, value: 16, op: "SCMP_CMP_LE" }],
    },
    { names: ["shmget", "semop"], action: "SCMP_ACT_ALLOW" },
    { names: ["msgsnd"], action: "SCMP_ACT_ALLOW", args: [{ index: 3, value: 0, op: "SCMP_CMP_EQ" }] },
    // equal to the default: runc skips it (libseccomp would refuse it)
    { names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
    { names: ["getppid"], action: "SCMP_ACT_ERRNO" },
    { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
    { names: ["no_such_syscall", "cachestat", "mseal"], action: "SCMP_ACT_ALLOW" },
  ],
};

const NAMES = [
  "read",
  "write",
  "ioctl",
  "fcntl",
  "socket",
  "mmap",
  "prctl",
  "clone",
  "bind",
  "shmat",
  "futex",
  "openat",
];

function randomValue(rnd: () => number): bigint {
  const r = rnd();
  if (r < 0.4) return BigInt(Math.floor(rnd() * 8));
  if (r < 0.6) return BigInt(Math.floor(rnd() * 0x100000000));
  if (r < 0.8) return (BigInt(Math.floor(rnd() * 4)) << 32n) | BigInt(Math.floor(rnd() * 8));
  return (BigInt(Math.floor(rnd() * 0x100000000)) << 32n) | BigInt(Math.floor(rnd() * 0x100000000));
}

/** A seeded random profile: few names, many rules, random operators, values and actions. */
export function randomProfile(seed: number): DockerProfile {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const actions: Action[] = ACTIONS.filter((a) => a !== "SCMP_ACT_NOTIFY");
  const syscalls: SyscallRule[] = [];
  for (let i = 0; i < 40; i++) {
    const args: ArgCmp[] = [];
    const n = Math.floor(rnd() * 3.5);
    for (let k = 0; k < n; k++)
      args.push({
        index: Math.floor(rnd() * 3),
        value: randomValue(rnd),
        valueTwo: randomValue(rnd),
        op: pick(OPERATORS),
      });
    const action = pick(actions);
    const r: SyscallRule = { names: [pick(NAMES)], action };
    if (action === "SCMP_ACT_ERRNO" || action === "SCMP_ACT_TRACE") r.errnoRet = 1 + Math.floor(rnd() * 4);
    if (args.length) r.args = args;
    syscalls.push(r);
  }
  return { defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1, architectures: ALL_ARCHES, syscalls };
}

export const HAND_PROFILES: Readonly<Record<string, DockerProfile>> = {
  operators: OPERATORS_PROFILE,
  "mixed actions": MIXED_PROFILE,
};
