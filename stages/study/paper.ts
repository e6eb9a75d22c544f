/**
 * The numbers of Wan et al., "Practical and effective sandboxing for Linux containers" (EMSE
 * 2019), as ../shared/docs/paper.md gives them (Table 2, the per-image results, Table 3, Fig. 9
 * read off as ≈, Sec. 3.4–3.6), for the study's comparison (stages/study/compare.ts). `approx`
 * marks values read off a figure. MongoDB is a paper subject with no Debian package: its row
 * stays the paper's alone.
 */

export interface PaperKFold {
  min: number;
  max: number;
  median: number;
  mean: number;
}

export interface PaperSubject {
  /** the paper's name of the subject (Table 2). */
  name: string;
  /** the version the paper used (Docker Hub image, 2017). */
  version: string;
  /** the study entry that stands for it here, or null (MongoDB: not in Debian). */
  entry: string | null;
  /** syscall types of the type sandbox. */
  types: number;
  /** type+argument rules. */
  typeArgs: number;
  /** mining run length, Fig. 8 x-axis (s). */
  runSeconds: number;
  /** type+argument saturation (Sec. 6.3), an upper bound in s. */
  saturationBelowSeconds: number;
  /** Table 3, 10-fold cross-validation coverage, shares in 0..1. */
  kfold: PaperKFold;
  /** use cases of RQ2 (Table 4). */
  useCases: number;
  /** DB throughput reduction (Fig. 9), shares in 0..1: type, type+arg, Docker default. */
  dbOverhead: { type: number; typeArg: number; dockerDefault: number; approx: boolean } | null;
  /** web saturation point (Fig. 10, ≈ req/s). */
  webSaturation: number | null;
}

const k = (min: number, max: number, median: number, mean: number): PaperKFold => ({
  min: min / 100,
  max: max / 100,
  median: median / 100,
  mean: mean / 100,
});

export const PAPER_SUBJECTS: readonly PaperSubject[] = [
  {
    name: "Nginx",
    version: "1.11.1",
    entry: "nginx",
    types: 76,
    typeArgs: 90,
    runSeconds: 180,
    saturationBelowSeconds: 60,
    kfold: k(93.0, 100, 98.2, 97.5),
    useCases: 2,
    dbOverhead: null,
    webSaturation: 11000,
  },
  {
    name: "Redis",
    version: "3.2.3",
    entry: "redis",
    types: 74,
    typeArgs: 91,
    runSeconds: 200,
    saturationBelowSeconds: 120,
    kfold: k(93.9, 100, 98.5, 98.6),
    useCases: 9,
    dbOverhead: { type: 0.0214, typeArg: 0.0376, dockerDefault: 0.0463, approx: false },
    webSaturation: null,
  },
  {
    name: "MongoDB",
    version: "3.2.8",
    entry: null,
    types: 98,
    typeArgs: 121,
    runSeconds: 640,
    saturationBelowSeconds: 60,
    kfold: k(95.2, 100, 100, 99.0),
    useCases: 3,
    dbOverhead: { type: 0.014, typeArg: 0.029, dockerDefault: 0.024, approx: true },
    webSaturation: null,
  },
  {
    name: "MySQL",
    version: "5.7.13",
    entry: "mariadb",
    types: 105,
    typeArgs: 122,
    runSeconds: 120,
    saturationBelowSeconds: 60,
    kfold: k(98.9, 100, 98.9, 99.3),
    useCases: 5,
    dbOverhead: { type: 0.006, typeArg: 0.0122, dockerDefault: 0.0083, approx: false },
    webSaturation: null,
  },
  {
    name: "PostgreSQL",
    version: "9.5.4",
    entry: "postgres",
    types: 99,
    typeArgs: 115,
    runSeconds: 120,
    saturationBelowSeconds: 120,
    kfold: k(98.9, 100, 100, 99.8),
    useCases: 5,
    dbOverhead: { type: 0.019, typeArg: 0.03, dockerDefault: 0.023, approx: true },
    webSaturation: null,
  },
  {
    name: "Node.js",
    version: "6.3.1",
    entry: "node",
    types: 66,
    typeArgs: 79,
    runSeconds: 180,
    saturationBelowSeconds: 180,
    kfold: k(88.7, 100, 98.1, 96.4),
    useCases: 2,
    dbOverhead: null,
    webSaturation: 7000,
  },
  {
    name: "Apache",
    version: "2.4.23",
    entry: "apache",
    types: 73,
    typeArgs: 89,
    runSeconds: 180,
    saturationBelowSeconds: 60,
    kfold: k(96.7, 100, 98.4, 98.2),
    useCases: 2,
    dbOverhead: null,
    webSaturation: 4000,
  },
  {
    name: "Python Django",
    version: "3.5.2",
    entry: "django",
    types: 74,
    typeArgs: 83,
    runSeconds: 180,
    saturationBelowSeconds: 60,
    kfold: k(96.8, 100, 100, 99.0),
    useCases: 2,
    dbOverhead: null,
    webSaturation: 300,
  },
];

/** Study-wide numbers of the paper (Sec. 3.4–3.6). */
export const PAPER_STUDY = {
  /** syscalls available on the paper's kernel 4.4.0 (its count; the basis is unstated). */
  kernelSyscalls: 373,
  /** syscalls Docker's 2017 default profile blocked. */
  dockerDefaultBlocked: 44,
  /** false alarms on the 30 use cases: type sandbox, type+argument sandbox. */
  falseAlarms: { type: 0, typeArg: 1 },
  /** Nginx throughput with the type+arg sandbox (ptrace path checks), as a share of baseline. */
  nginxTypeArgThroughput: 1 - 0.27,
  /** mining time bound of the paper (MongoDB, s). */
  miningBelowSeconds: 640,
} as const;
