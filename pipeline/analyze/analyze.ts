/**
 * `sandmine analyze`: characterize then coverage in one process and one DuckDB session, writing
 * the files the two commands write (the same bytes: each stage is the very code of its command,
 * run on the same cache plan). One process instead of two saves Node's start, the bundle's load,
 * DuckDB's native library and an instance's open; a cold build's tables coverage reads are
 * written on sibling connections while characterize works (prepare.ts `withPrepared`).
 */
import type { ImageCharacterization } from "../../schemas/characterize.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";
import { withDbAfter } from "../duckdb.ts";
import { characterizeOn } from "./characterize.ts";
import { DEFAULT_COVERAGE, coverageOn, type CoverageOptions } from "./coverage.ts";
import { planCache, selectImages, type AnalyzeScope } from "./prepare.ts";

/** What `analyze` returns: each stage's results, in image order. */
export interface Analysis {
  characterize: ImageCharacterization[];
  coverage: ImageCoverage[];
}

/** Characterize, then coverage, of every image of the dataset (or the one asked for), in one session. */
export async function analyze(
  scope: AnalyzeScope,
  opts: CoverageOptions = DEFAULT_COVERAGE,
): Promise<Analysis> {
  const images = selectImages(scope.dataset, scope.image);
  // one DuckDB thread, as each command runs it (characterize.ts)
  return withDbAfter(
    () => planCache(scope.dataset, scope.image),
    async (db, plan) => {
      const characterized = await characterizeOn(db, scope, images, plan);
      // the cache of `plan` is complete now (withPrepared waits for the whole build): views only
      return { characterize: characterized, coverage: await coverageOn(db, scope, images, plan, opts) };
    },
    1,
  );
}
