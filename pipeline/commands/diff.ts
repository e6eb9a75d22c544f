/**
 * `sandmine diff OLD NEW [--json]`: what a new profile allows or denies that the old one did not,
 * per syscall, with the reason from the reports beside them. Exit 1 when they differ (a CI gate).
 */
import { defineCommand } from "../command.ts";
import { UsageError } from "../errors.ts";
import type { NameChange } from "../../stages/profile/diff.ts";
import { diffProfileFiles, sameProfiles } from "../profile/diff-files.ts";
import { paint } from "../terminal.ts";

export const diffCommand = defineCommand({
  name: "diff",
  summary:
    "What changed between two profiles, per syscall, and why (from the reports synthesize wrote beside them).\n" +
    "Exit 1 when they differ, so it can gate profile drift in CI.",
  args: "OLD NEW",
  options: {
    json: {
      type: "boolean",
      default: false,
      description: "print one JSON object {default, architectures, added, removed, changed}",
    },
  },
  async run(o, positionals) {
    const [fa, fb, ...more] = positionals;
    if (fa === undefined || fb === undefined || more.length)
      throw new UsageError("give OLD and NEW profiles");
    const d = diffProfileFiles(fa, fb);
    const same = sameProfiles(d);
    if (o.json) {
      process.stdout.write(JSON.stringify(d) + "\n");
      return same ? 0 : 1;
    }
    const lines: string[] = [
      `${fa} → ${fb}: ${same ? "no difference" : `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`}`,
    ];
    if (d.default) lines.push(`default action: ${d.default.was} → ${d.default.now}`);
    if (d.architectures)
      lines.push(`architectures: ${d.architectures.was.join(",")} → ${d.architectures.now.join(",")}`);
    const p = paint();
    const section = (
      title: string,
      sign: string,
      xs: NameChange[],
      show: (c: NameChange) => string,
    ): void => {
      if (!xs.length) return;
      lines.push("", title);
      for (const c of xs) lines.push(`  ${sign} ${c.name.padEnd(20)} ${show(c)}\n      why: ${c.why}`);
    };
    section("added:", p.green("+"), d.added, (c) => c.now);
    section("removed:", p.red("-"), d.removed, (c) => `was ${c.was}`);
    section("changed:", p.yellow("~"), d.changed, (c) => `${c.was}  →  ${c.now}`);
    process.stdout.write(lines.join("\n") + "\n");
    return same ? 0 : 1;
  },
});
