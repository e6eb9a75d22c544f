/**
 * Splits the rows of one host capture by container image: a row whose thread runs in a container
 * that the capture's container meta-events name an image for goes to that image's batch; host
 * rows, and rows of containers without a known image, stay in the capture's own batch.
 */
import { EventBatch } from "../columns/event-batch.ts";
import type { ContainerInfo } from "./containers.ts";

/** What went to one image other than the capture's own. */
export interface ImageCounts {
  events: number;
  /** event blocks (or printed events) that became these rows. */
  eventLines: number;
  unfinishedNeverResumed: number;
}

/** A batch rows are routed to, with its counts. */
export interface ImageTarget {
  batch: EventBatch;
  counts: ImageCounts;
}

/** Values sysdig writes before it has looked a container up: not an image. */
const PLACEHOLDERS = new Set(["", "incomplete"]);

/** The image of each container id that has a real one. */
export function imagesOf(containers: readonly ContainerInfo[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of containers) if (!PLACEHOLDERS.has(c.image)) m.set(c.id, c.image);
  return m;
}

/** Routes rows by container id; one instance per capture file, batches shared by a task. */
export class ImageSplit {
  /** counts of this file's rows per image (only images other than the capture's own). */
  readonly counts = new Map<string, ImageCounts>();
  private lastId: string | null = null;
  private lastTarget: ImageTarget | null = null;

  /**
   * `imageOf`: container id → image; `batches`: image → batch, shared by the files of one task
   * (filled on first use); `home`: the capture's own image (its rows are not routed).
   */
  constructor(
    private readonly imageOf: ReadonlyMap<string, string>,
    private readonly batches: Map<string, EventBatch>,
    private readonly home: string,
  ) {}

  /** Where a row of a thread in container `id` goes; null for the capture's own batch. */
  route(id: string | null): ImageTarget | null {
    if (id === null) return null;
    if (id === this.lastId) return this.lastTarget;
    const image = this.imageOf.get(id);
    let target: ImageTarget | null = null;
    if (image !== undefined && image !== this.home) {
      let batch = this.batches.get(image);
      if (batch === undefined) {
        batch = new EventBatch();
        this.batches.set(image, batch);
      }
      let counts = this.counts.get(image);
      if (counts === undefined) {
        counts = { events: 0, eventLines: 0, unfinishedNeverResumed: 0 };
        this.counts.set(image, counts);
      }
      target = { batch, counts };
    }
    this.lastId = id;
    this.lastTarget = target;
    return target;
  }
}
