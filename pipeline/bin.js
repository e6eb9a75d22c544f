#!/usr/bin/env node
// Installed entry point: the same launcher as `npm run sandmine` (bundles the TypeScript once).
process.argv.splice(2, 0, "cli");
await import("./launch.mjs");
