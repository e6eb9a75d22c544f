/**
 * The `rejects` table: every input line or block that did not become an event, with its reason.
 */
import { Field, Int64, Schema, Utf8 } from "apache-arrow";
import { SCHEMA_VERSION } from "./events.ts";

/** Raw text longer than this is cut (its full length is kept in `raw_bytes`). */
export const REJECT_RAW_LIMIT = 4096;

export const REJECTS_SCHEMA = new Schema(
  [
    new Field("image", new Utf8(), false),
    new Field("run", new Utf8(), false),
    new Field("file", new Utf8(), false),
    new Field("line", new Int64(), true),
    new Field("offset", new Int64(), true),
    new Field("reason", new Utf8(), false),
    new Field("raw", new Utf8(), false),
    new Field("raw_bytes", new Int64(), false),
  ],
  new Map([["sandmine.schema_version", String(SCHEMA_VERSION)]]),
);
