/**
 * zstd for the Parquet writer (stages/columns/parquet): zstd 1.5 compiled to WebAssembly
 * (@bokuweb/zstd-wasm), since Node 20's zlib has no zstd. One compression context per thread,
 * reused page after page (ZSTD_compress made and freed one per page). Level 1: what parquet-wasm
 * wrote before. `loadZstd` must have resolved before `ZSTD.compress` is called.
 */
import { compressUsingDict, createCCtx, init } from "@bokuweb/zstd-wasm";
import type { Codec } from "../stages/columns/parquet/write.ts";

const LEVEL = 1;
const NO_DICT = new Uint8Array(0);
let cctx = 0;
let loading: Promise<void> | null = null;

/** Loads the WebAssembly module once per thread. */
export function loadZstd(): Promise<void> {
  return (loading ??= init().then(() => {
    cctx = createCCtx();
  }));
}

/** Parquet's ZSTD codec (format/CompressionCodec 6). */
export const ZSTD: Codec = {
  id: 6,
  compress(bytes) {
    if (cctx === 0) throw new Error("internal: zstd used before loadZstd()");
    return compressUsingDict(cctx, bytes, NO_DICT, LEVEL);
  },
};
