/**
 * Container image and name from the `container` meta-events (PPME_CONTAINER_JSON_E in the bundled
 * captures), joined with the cgroup-derived `container_id` of the rows.
 */
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { containerFromEvent, containerFromJson } from "../../stages/scap/containers.ts";
import { ScapEvent } from "../../stages/scap/event.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { capture, scapAvailability } from "./captures.ts";

function parse(rel: string): { parser: ScapParser; ids: (string | null)[] } {
  const batch = new EventBatch();
  const parser = new ScapParser({ capture: rel, arch: "x86_64", phase: "unknown" }, batch);
  parser.parse(capture(rel));
  const rb = batch.toRecordBatch();
  const col = rb.getChild("container_id")!;
  const ids: (string | null)[] = [];
  for (let i = 0; i < rb.numRows; i++) ids.push((col.get(i) as string | null) ?? null);
  return { parser, ids };
}

/** An event of `type` whose parameters are the NUL-terminated `texts`. */
function event(type: number, texts: string[]): ScapEvent {
  const ev = new ScapEvent();
  const parts = texts.map((t) => Buffer.from(t + "\0", "utf8"));
  ev.buf = Buffer.concat(parts);
  ev.type = type;
  ev.nparams = parts.length;
  let at = 0;
  parts.forEach((p, i) => {
    ev.start[i] = at;
    ev.len[i] = p.length;
    at += p.length;
  });
  return ev;
}

describe("container meta-events", () => {
  it("reads id, image and name from the JSON text", () => {
    expect(
      containerFromJson(
        '{"container":{"id":"59fd49aa4072","image":"dockercloud/haproxy","name":"example2_lb_1","type":0}}',
      ),
    ).toEqual({ id: "59fd49aa4072", image: "dockercloud/haproxy", name: "example2_lb_1" });
    expect(containerFromJson(`{"container":{"id":"${"ab".repeat(32)}"}}`)).toEqual({
      id: "abababababab",
      image: "",
      name: "",
    });
    expect(containerFromJson("{not json")).toBeNull();
    expect(containerFromJson('{"container":{"image":"x"}}')).toBeNull();
    expect(containerFromJson("null")).toBeNull();
  });

  it("reads the old PPME_CONTAINER_E (id, type, name, image) and the JSON events", () => {
    expect(containerFromEvent(event(228, ["0123456789ab", "\0\0\0", "web", "nginx:1"]))).toEqual({
      id: "0123456789ab",
      name: "web",
      image: "nginx:1",
    });
    expect(containerFromEvent(event(324, ['{"container":{"id":"c1","image":"i","name":"n"}}']))).toEqual({
      id: "c1",
      image: "i",
      name: "n",
    });
    expect(containerFromEvent(event(272, ["garbage"]))).toBeNull();
    expect(containerFromEvent(event(2, ["x"]))).toBeNull();
  });
});

describe.skipIf(scapAvailability.skipReason !== null)("containers of the bundled captures", () => {
  it("fills the container map of a capture of a host with two containers", () => {
    const { parser } = parse("falcosecurity-falco/open-multiple-files.scap");
    expect([...parser.stats.containers.values()]).toEqual([
      { id: "5ea733068030", image: "sysdig/falco:latest", name: "falco" },
      { id: "ad64969c62e5", image: "node:latest", name: "express_server" },
    ]);
    expect(parser.skipped.container).toBe(3);
  });

  it("a later event replaces sysdig's 'incomplete' placeholder; rows' container ids join the map", () => {
    const { parser, ids } = parse("falcosecurity-falco/psp/run_as_user_0_container.scap");
    expect([...parser.stats.containers.values()]).toEqual([
      { id: "697956520d89", image: "nginx", name: "hopeful_taussig" },
    ]);
    const inContainer = ids.filter((x) => x !== null);
    expect(inContainer.length).toBe(225);
    expect(new Set(inContainer)).toEqual(new Set(["697956520d89"]));
    expect(ids.length - inContainer.length).toBe(1168);
  });
});
