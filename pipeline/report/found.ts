/**
 * Profile and validation reports lying in a dataset or experiment folder: `*.report.json` that
 * `sandmine synthesize` writes beside a profile, and the JSON report of `sandmine validate`.
 * Recognized by their fields, not their names alone; a file that claims to be one but does not
 * parse is an error naming the file.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import { VALIDATION_REPORT_VERSION, type ValidationReport } from "../../schemas/validation-report.ts";
import type { ProfileView, ValidationView } from "../../stages/report/model.ts";
import { UsageError } from "../errors.ts";

/** Folders of a dataset that hold only tables, never reports. */
const SKIP = new Set(["events", "analysis", "characterize", "coverage", "node_modules", ".git"]);
const MAX_DEPTH = 4;
/** Reports are small; a larger JSON file is data (a sysdig -j capture, say), not read here. */
const MAX_BYTES = 64 * 1024 * 1024;

function jsonFiles(dir: string, depth: number, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH && !SKIP.has(e.name)) jsonFiles(p, depth + 1, out);
    else if (
      e.isFile() &&
      e.name.endsWith(".json") &&
      e.name !== "manifest.json" &&
      statSync(p).size <= MAX_BYTES
    ) {
      out.push(p);
    }
  }
  return out;
}

function isProfileReport(v: unknown): v is ProfileReport {
  const r = v as Partial<ProfileReport> | null;
  return typeof r === "object" && r !== null && r.sandmine_report === 1 && Array.isArray(r.syscalls);
}

function isValidationReport(v: unknown): v is ValidationReport {
  const r = v as Partial<ValidationReport> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    r.version === VALIDATION_REPORT_VERSION &&
    typeof r.experiment === "string" &&
    Array.isArray(r.profiles)
  );
}

/** The reports under `dirs`, sorted by file; named relative to the first (the dataset) when inside it. */
export function findReports(dirs: readonly string[]): {
  profiles: ProfileView[];
  validations: ValidationView[];
} {
  const profiles: ProfileView[] = [];
  const validations: ValidationView[] = [];
  const base = dirs[0] ?? ".";
  for (const dir of dirs) {
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const file of jsonFiles(dir, 0, [])) {
      const text = readFileSync(file, "utf8");
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        if (file.endsWith(".report.json")) throw new UsageError(`${file}: not JSON: ${(e as Error).message}`);
        continue;
      }
      const rel = relative(base, file);
      const name = rel.startsWith("..") || isAbsolute(rel) ? file : rel;
      if (isProfileReport(value)) profiles.push({ file: name, report: value });
      else if (isValidationReport(value)) validations.push({ file: name, report: value });
      else if (
        file.endsWith(".report.json") &&
        (value as { sandmine_report?: unknown })?.sandmine_report !== undefined
      ) {
        throw new UsageError(`${file}: a sandmine report of an unknown version or shape`);
      }
    }
  }
  return { profiles, validations };
}
