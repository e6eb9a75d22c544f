/**
 * Container metadata from the `container` meta-events: PPME_CONTAINER_E (228: id, type, name,
 * image) and PPME_CONTAINER_JSON_E / _2_E (272, 324: `{"container":{"id":…,"image":…,"name":…}}`).
 * A later event for the same id replaces an earlier one (sysdig first writes `"incomplete"`
 * placeholders, then the looked-up values).
 */
import type { ScapEvent } from "./event.ts";

/** What a capture says about one container. */
export interface ContainerInfo {
  /** 12 hex characters, as the cgroup-derived `container_id` column. */
  id: string;
  image: string;
  name: string;
}

/** Event types that carry container metadata. */
export const CONTAINER_EVENTS: ReadonlySet<number> = new Set([228, 272, 324]);

function text(ev: ScapEvent, i: number): string {
  if (i >= ev.nparams) return "";
  const start = ev.start[i]!;
  let end = start + ev.len[i]!;
  while (end > start && ev.buf[end - 1] === 0) end--;
  return ev.buf.toString("utf8", start, end);
}

const shortId = (id: string): string => (/^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id);

/** The container of a JSON meta-event's text, or null when it names none. */
export function containerFromJson(json: string): ContainerInfo | null {
  let o: unknown;
  try {
    o = JSON.parse(json);
  } catch {
    return null;
  }
  const c = (o as { container?: unknown } | null)?.container;
  if (typeof c !== "object" || c === null) return null;
  const { id, image, name } = c as Record<string, unknown>;
  if (typeof id !== "string" || id === "") return null;
  return {
    id: shortId(id),
    image: typeof image === "string" ? image : "",
    name: typeof name === "string" ? name : "",
  };
}

/** The container a meta-event describes, or null (not a container event, or unreadable). */
export function containerFromEvent(ev: ScapEvent): ContainerInfo | null {
  if (ev.type === 228) {
    const id = text(ev, 0);
    return id === "" ? null : { id: shortId(id), name: text(ev, 2), image: text(ev, 3) };
  }
  if (ev.type === 272 || ev.type === 324) return containerFromJson(text(ev, 0));
  return null;
}

/** Adds the container of `ev` (when it describes one) to `containers`. */
export function trackContainer(containers: Map<string, ContainerInfo>, ev: ScapEvent): void {
  if (!CONTAINER_EVENTS.has(ev.type)) return;
  const c = containerFromEvent(ev);
  if (c !== null) containers.set(c.id, c);
}
