/// <reference lib="dom" />
/**
 * Browser helpers of the report and notebook tests: Debian's chromium through playwright-core
 * (never a downloaded browser), a static server started as its own process and stopped by its
 * PID, and pages that record console errors and every request that would leave localhost
 * (those are aborted, so a page that reaches out fails the test instead of the network).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { REPO_ROOT } from "../util/datasets.ts";

export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser tests cannot run here (null: they can); under CI a missing browser is an error. */
export function chromiumSkipReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `${CHROMIUM} not found (apt-get install chromium; see .ci/packages)`;
  if (env.CI) throw new Error(`${reason}; required when CI is set`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** A static server of `dir` on 127.0.0.1 (test/report/serve.ts), as a child process. */
export interface Server {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

export function startServer(dir: string): Promise<Server> {
  // node with the tsx loader in-process (not the tsx CLI, which runs a second node): one PID to stop
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "test", "report", "serve.ts"), dir],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      process.kill(child.pid!, "SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`static server exited (${code}) before listening: ${out}`)),
    );
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        child.removeAllListeners("exit");
        resolve({ origin: `http://127.0.0.1:${m[1]}`, pid: child.pid!, stop });
      }
    });
  });
}

/** A page that logs what must not happen: console errors, page errors, requests off localhost. */
export interface WatchedPage {
  page: Page;
  errors: string[];
  external: string[];
}

export async function watchedPage(browser: Browser, width = 1400): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height: 1000 } });
  const errors: string[] = [];
  const external: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local =
      url.protocol === "data:" ||
      url.protocol === "file:" ||
      ["127.0.0.1", "localhost"].includes(url.hostname);
    if (local) return route.continue();
    external.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  return { page, errors, external };
}

/** Every `data-figure` in the page with its exact value (or text when it has none). */
export function figuresOf(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll("[data-figure]")].map((e) => [
        e.getAttribute("data-figure")!,
        e.getAttribute("data-value") ?? e.textContent ?? "",
      ]),
    ),
  );
}

/** Per plotted figure (figure.plot id): its mark groups (aria-label) and how many elements each draws. */
export function marksOf(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll("figure.plot")].map((f) => {
        const marks: Record<string, number> = {};
        for (const g of f.querySelectorAll("svg g[aria-label]")) {
          const label = g.getAttribute("aria-label")!;
          if (label.endsWith("axis") || label.endsWith("grid") || label.includes("tick label")) continue;
          marks[label] = (marks[label] ?? 0) + g.querySelectorAll("rect, circle, path, line, text").length;
        }
        return [f.id, marks];
      }),
    ),
  );
}

/** The <title> texts of one mark type in one figure. */
export function titlesOf(page: Page, figureId: string, mark: string): Promise<string[]> {
  return page.evaluate(
    ([id, m]) =>
      [...(document.getElementById(id!)?.querySelectorAll(`svg g[aria-label="${m}"] title`) ?? [])].map(
        (t) => t.textContent ?? "",
      ),
    [figureId, mark] as const,
  );
}
