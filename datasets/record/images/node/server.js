// A static-file HTTP server on Node's http module (the paper's Node.js subject serves static
// pages): GET/HEAD of files under /srv/www, 404 for missing ones, /api/time as JSON, POST /api/echo.
"use strict";
// CommonJS on purpose: the image runs this file as is with Debian's nodejs, no package.json
/* eslint-disable @typescript-eslint/no-require-imports */
const http = require("http");
const fs = require("fs");
const path = require("path");

const ROOT = "/srv/www";
const TYPES = { ".html": "text/html", ".txt": "text/plain", ".bin": "application/octet-stream" };

function serveFile(req, res) {
  const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.normalize(path.join(ROOT, rel));
  if (!file.startsWith(ROOT)) return send(res, 403, "forbidden\n");
  fs.stat(file, (err, st) => {
    if (!err && st.isDirectory()) file = path.join(file, "index.html");
    fs.stat(file, (err2, st2) => {
      if (err2 || !st2.isFile()) return send(res, 404, "not found\n");
      res.writeHead(200, {
        "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
        "Content-Length": st2.size,
      });
      if (req.method === "HEAD") return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
}

function send(res, status, body, type = "text/plain") {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.url === "/api/time") return send(res, 200, JSON.stringify({ now: Date.now() }) + "\n", "application/json");
  if (req.url === "/api/echo" && req.method === "POST") {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => send(res, 200, Buffer.concat(chunks).toString("utf8")));
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed\n");
  serveFile(req, res);
});
server.keepAliveTimeout = 5000;
server.listen(18082, "127.0.0.1", () => console.log("listening on 127.0.0.1:18082"));
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
