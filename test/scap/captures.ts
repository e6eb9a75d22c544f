/**
 * The real scap captures of ../shared/datasets/scap and their sysdig 0.29.3 outputs.
 */
import fs from "node:fs";
import path from "node:path";
import { requireOrSkip, sharedDatasets } from "../util/datasets.ts";

const shared = sharedDatasets();
const dir = shared === null ? null : path.join(shared, "scap");

/** Skip (or, under CI, fail) when the scap datasets are missing. */
export const scapAvailability = requireOrSkip(
  dir !== null && fs.existsSync(dir) ? dir : null,
  "../shared/datasets/scap",
);

/** Every capture, relative to the scap folder. */
export const CAPTURES = [
  "falcosecurity-falco/cat_write.scap",
  "falcosecurity-falco/connect_localhost.scap",
  "falcosecurity-falco/empty.scap",
  "falcosecurity-falco/open-multiple-files.scap",
  "falcosecurity-falco/ping_sendto.scap",
  "falcosecurity-falco/syscall.scap",
  "falcosecurity-falco/psp/privileged.scap",
  "falcosecurity-falco/psp/run_as_user_0_container.scap",
  "falcosecurity-falco/psp/run_as_user_65534_container.scap",
  "falcosecurity-falco/psp/write_tmp_test.scap",
  "falcosecurity-libs/curl_google.scap",
  "falcosecurity-libs/curl_google_comments.scap",
  "falcosecurity-libs/sample.scap",
  "falcosecurity-libs/single_ipv6_conn.scap",
  "falcosecurity-libs/test_ipv6_client.scap",
] as const;

/** Bytes of a capture. */
export function capture(rel: string): Buffer {
  return fs.readFileSync(path.join(scapAvailability.path!, rel));
}

/** Text of an expected output (`NAME` + suffix), or null when absent. */
export function expected(rel: string, suffix: string): string | null {
  const f = path.join(
    scapAvailability.path!,
    "expected-sysdig-0.29.3",
    rel.replace(/\//g, "__").replace(/\.scap$/, suffix),
  );
  return fs.existsSync(f) ? fs.readFileSync(f, "utf8") : null;
}
