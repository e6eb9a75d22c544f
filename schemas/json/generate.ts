/**
 * Writes the JSON Schemas of schemas/json-schema.ts into this folder (formatted as prettier
 * formats them); with `--check`, writes nothing and exits 1 when a committed file differs.
 *
 *   npx tsx schemas/json/generate.ts [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { JSON_SCHEMAS } from "../json-schema.ts";

const dir = fileURLToPath(new URL(".", import.meta.url));

/** The text of each schema file as it should be committed. */
export async function schemaFiles(): Promise<{ path: string; text: string }[]> {
  return Promise.all(
    JSON_SCHEMAS.map(async ({ file, schema }) => {
      const path = join(dir, file);
      const options = (await resolveConfig(path)) ?? {};
      return { path, text: await format(JSON.stringify(schema()), { ...options, filepath: path }) };
    }),
  );
}

async function main(check: boolean): Promise<number> {
  let stale = 0;
  for (const { path, text } of await schemaFiles()) {
    let old = "";
    try {
      old = readFileSync(path, "utf8");
    } catch {
      // not written yet
    }
    if (old === text) continue;
    if (check) {
      process.stderr.write(`${path}: differs from its shape (run npx tsx schemas/json/generate.ts)\n`);
      stale++;
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.exitCode = await main(process.argv.includes("--check"));
