#!/usr/bin/env node
// Installed entry point: runs the TypeScript CLI through tsx (a runtime dependency).
import { register } from "tsx/esm/api";
register();
const { main } = await import("./cli.ts");
process.exitCode = await main(process.argv.slice(2));
