/**
 * The types the host modules share: the Docker engine a run talks to, the confinement a container
 * runs under, and a running container (a session) with the commands run against it. In one file
 * so that the modules implementing them (dockerd, docker, session, runc, ready) need not import
 * each other for their types.
 */
import type { TestSpec } from "../../schemas/experiment.ts";
import type { RunResult } from "./proc.ts";

export interface Engine {
  /** docker -H value: unix:///…/docker.sock */
  host: string;
  /** the private daemon's PID, or null for an engine that was already running. */
  pid: number | null;
  /** the private daemon's folder (holds `trace-target`, read by the strace runtime). */
  state: string | null;
  /** the name of the registered strace runtime, when there is one. */
  straceRuntime: string | null;
}

export type Confinement = { kind: "unconfined" } | { kind: "default" } | { kind: "profile"; file: string };

export interface SessionOptions {
  runtime?: string;
  /** replaces the image's entrypoint and command (probes). */
  entrypoint?: string;
  command?: string[];
  /** don't wait for readiness (probes run once and exit). */
  attach?: boolean;
}

/** One running container and the commands run against it. */
export interface Session {
  id: string;
  started: number; // epoch ms
  run(t: Pick<TestSpec, "exec" | "host" | "timeout">): Promise<RunResult>;
  stop(): Promise<void>;
}
