/**
 * defineCommand: the option spec types `run`'s options, checks every value once (one-line errors
 * naming the option) and generates the help; every registered command loads and is named as listed.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { commandHelp, defineCommand, type OptionValues } from "../../pipeline/command.ts";
import { COMMANDS } from "../../pipeline/cli.ts";

const options = {
  out: { type: "string", placeholder: "DIR", required: true, description: "where" },
  image: { type: "string", placeholder: "NAME", description: "which" },
  json: { type: "boolean", default: false, description: "as JSON" },
  "max-p-new": { type: "number", placeholder: "P", min: 0, max: 1, default: 0.05, description: "p" },
  orders: { type: "number", placeholder: "N", integer: "round", min: 1, description: "n" },
  limit: { type: "number", placeholder: "N", integer: true, min: 0, description: "count" },
  unit: { type: "enum", choices: ["auto", "run", "test"], default: "auto", description: "unit" },
  arch: {
    type: "list",
    placeholder: "A[,…]",
    choices: ["x86_64", "aarch64"],
    default: ["x86_64"],
    description: "a",
  },
  compare: { type: "list", placeholder: "FILE[,…]", description: "files" },
  reports: { type: "string", placeholder: "DIR", multiple: true, description: "more" },
} as const;

type Seen = OptionValues<typeof options>;

async function parse(...argv: string[]): Promise<{ seen: Seen; positionals: string[] }> {
  let result: { seen: Seen; positionals: string[] } | undefined;
  const c = defineCommand({
    name: "t",
    summary: "a test command",
    args: "X",
    options,
    async run(seen, positionals) {
      result = { seen, positionals };
      return 0;
    },
  });
  await c.execute(argv);
  return result!;
}

describe("defineCommand", () => {
  it("types the options from the spec (camelCase names)", () => {
    expectTypeOf<Seen["out"]>().toEqualTypeOf<string>();
    expectTypeOf<Seen["image"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Seen["json"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Seen["maxPNew"]>().toEqualTypeOf<number>();
    expectTypeOf<Seen["limit"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Seen["unit"]>().toEqualTypeOf<"auto" | "run" | "test">();
    expectTypeOf<Seen["arch"]>().toEqualTypeOf<("x86_64" | "aarch64")[]>();
    expectTypeOf<Seen["compare"]>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Seen["reports"]>().toEqualTypeOf<string[] | undefined>();
  });

  it("applies defaults and parses numbers, enums and lists", async () => {
    const a = await parse("x", "--out", "o");
    expect(a.positionals).toEqual(["x"]);
    expect(a.seen).toEqual({
      out: "o",
      image: undefined,
      json: false,
      maxPNew: 0.05,
      orders: undefined,
      limit: undefined,
      unit: "auto",
      arch: ["x86_64"],
      compare: undefined,
      reports: undefined,
      quiet: false,
    });
    const b = await parse(
      ...["--out", "o", "--max-p-new", "0.1", "--orders", "2.5", "--limit", "0", "--unit", "test"],
      ...[
        "--arch",
        "aarch64,x86_64,aarch64",
        "--compare",
        "a.json,b.json",
        "--reports",
        "r1",
        "--reports",
        "r2",
      ],
      "--json",
    );
    expect(b.seen).toMatchObject({ json: true, maxPNew: 0.1, orders: 3, limit: 0, unit: "test" });
    expect(b.seen.arch).toEqual(["aarch64", "x86_64"]);
    expect(b.seen.compare).toEqual(["a.json", "b.json"]);
    expect(b.seen.reports).toEqual(["r1", "r2"]);
  });

  it("refuses bad values with one line naming the option", async () => {
    const refused = async (...argv: string[]): Promise<string> => {
      try {
        await parse("--out", "o", ...argv);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("accepted");
    };
    expect(await refused("--max-p-new", "2")).toBe("--max-p-new must be a number from 0 to 1 (got 2)");
    expect(await refused("--limit", "1.5")).toBe("--limit must be an integer of at least 0 (got 1.5)");
    expect(await refused("--limit", "")).toBe("--limit must be an integer of at least 0 (got )");
    expect(await refused("--unit", "tests")).toBe(
      "--unit must be one of auto, run, test (got tests; did you mean test?)",
    );
    expect(await refused("--unit", "xyz")).toBe("--unit must be one of auto, run, test (got xyz)");
    expect(await refused("--arch", "arm")).toBe("--arch arm: expected one of x86_64, aarch64");
    expect(await refused("--arch", ",")).toBe("--arch: give at least one of x86_64, aarch64");
    await expect(parse("x")).rejects.toThrow("--out DIR is required");
  });

  it("rejects a default that is not one of the choices when the command is defined", () => {
    expect(() =>
      defineCommand({
        name: "bad",
        summary: "",
        args: "",
        options: { unit: { type: "enum", choices: ["a", "b"], default: "c", description: "" } },
        run: async () => 0,
      }),
    ).toThrow("bad --unit: default c is not one of its choices");
  });

  it("every registered command loads, is named as listed, and its help lists every option", async () => {
    for (const entry of COMMANDS) {
      const c = await entry.load();
      expect(c.name).toBe(entry.name);
      const help = commandHelp(c);
      expect(help).toMatch(new RegExp(`^usage: sandmine ${c.name}`));
      for (const name of Object.keys(c.options)) expect(help).toContain(`--${name}`);
    }
  });
});
