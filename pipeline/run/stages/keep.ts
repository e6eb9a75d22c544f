/** Moves what an analysis wrote under a linked dataset view into the stage's folder, then drops the view. */
import { readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { dropView } from "./dataset-view.ts";

/** Moves every file of `from` into `to` (flat), then removes `view`. */
export function keepFrom(from: string, to: string, view: string): string[] {
  const names = readdirSync(from).sort();
  for (const n of names) renameSync(join(from, n), join(to, n));
  dropView(view);
  return names;
}
