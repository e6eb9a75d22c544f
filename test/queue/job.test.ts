/**
 * The pure parts of queue mode: job ids (stable for one manifest entry, new for other content or
 * another dataset, never a `:` that BullMQ refuses), job data as it comes back from Redis, and
 * reading a Redis URL.
 */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../pipeline/errors.ts";
import type { CaptureInput } from "../../pipeline/ingest/inputs.ts";
import { checkQueueName, redisConnection } from "../../pipeline/queue/connection.ts";
import { jobData, jobId, jobShape } from "../../pipeline/queue/job.ts";

const capture: CaptureInput = {
  image: "registry.example.com:5000/team/app",
  imageGiven: true,
  run: "run 01",
  source: "/fleet/app/run-01",
  format: "strace",
  labels: { test: "smoke" },
  files: [{ path: "/fleet/app/run-01/trace.12.gz", name: "trace.12.gz", tid: 12, size: 1234 }],
};
const key = "a".repeat(64);
const params = { arch: "x86_64", sysdigFormat: null, replace: false, maxRejectShare: 0.05 };

describe("queue jobs", () => {
  it("an id names the image and run and changes with content and dataset only", () => {
    const id = jobId(capture, key, "/fleet/ds");
    expect(id).toBe(jobId({ ...capture }, key, "/fleet/ds"));
    expect(id).not.toContain(":");
    expect(id.startsWith(`${encodeURIComponent(capture.image)}/run%2001@`)).toBe(true);
    expect(jobId(capture, "b".repeat(64), "/fleet/ds")).not.toBe(id);
    expect(jobId(capture, key, "/fleet/other")).not.toBe(id);
    expect(jobId({ ...capture, run: "run 02" }, key, "/fleet/ds")).not.toBe(id);
  });

  it("job data survives JSON (as Redis keeps it) and is checked on the way back", () => {
    const data = jobData(capture, key, "/fleet/ds", params);
    const back = jobShape.parse(JSON.parse(JSON.stringify(data)));
    expect(back).toEqual(data);
    expect(back.capture.files[0]!.path).toBe("/fleet/app/run-01/trace.12.gz");
    expect(jobShape.safeParse({ ...data, capture: { ...data.capture, files: [] } }).success).toBe(false);
    expect(jobShape.safeParse({ ...data, version: 2 }).success).toBe(false);
    expect(jobShape.safeParse({ ...data, key: "nothex" }).success).toBe(false);
  });
});

describe("Redis URLs", () => {
  it("reads host, port, database, user, password and TLS", () => {
    expect(redisConnection("redis://127.0.0.1:6390")).toMatchObject({ host: "127.0.0.1", port: 6390, db: 0 });
    expect(redisConnection("redis://redis")).toMatchObject({ host: "redis", port: 6379 });
    const full = redisConnection("rediss://worker:p%40ss@redis.internal:7000/3");
    expect(full).toMatchObject({
      host: "redis.internal",
      port: 7000,
      db: 3,
      username: "worker",
      password: "p@ss",
    });
    expect(full).toHaveProperty("tls");
    expect(redisConnection("redis://:only-password@h:1")).toMatchObject({ password: "only-password" });
    expect(redisConnection("redis://:only-password@h:1")).not.toHaveProperty("username");
  });

  it("refuses what is not a Redis URL, and queue names with ':'", () => {
    expect(() => redisConnection("localhost:6379")).toThrow(UsageError);
    expect(() => redisConnection("http://h:1")).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => redisConnection("redis://h:1/x")).toThrow(/database number/);
    expect(() => checkQueueName("a:b")).toThrow(/without ':'/);
    expect(checkQueueName("fleet-2026")).toBe("fleet-2026");
  });
});
