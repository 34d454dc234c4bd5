#!/usr/bin/env node
// Copies the pinned front-end packages (package-lock.json, installed by `npm ci`) into
// src/jinjie/static/vendor/, so every page is served from this machine: no CDN, intranet-safe.
// Source maps are copied too because Django's manifest storage follows sourceMappingURL comments
// and refuses to collect a file whose map is missing.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const modules = path.join(root, "node_modules");
const vendor = path.join(root, "src", "jinjie", "static", "vendor");

const files = [
  ["bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
  ["bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"],
  ["bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"],
  ["bootstrap-icons/font/fonts/bootstrap-icons.woff2", "bootstrap-icons/fonts/bootstrap-icons.woff2"],
  ["bootstrap-icons/font/fonts/bootstrap-icons.woff", "bootstrap-icons/fonts/bootstrap-icons.woff"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["echarts/dist/echarts.min.js", "echarts/echarts.min.js"],
];

let missing = 0;
for (const [from, to] of files) {
  const src = path.join(modules, from);
  if (!fs.existsSync(src)) {
    console.error(`缺少 ${src}：请先运行 npm ci`);
    missing += 1;
    continue;
  }
  const dst = path.join(vendor, to);
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
}
if (missing) process.exit(1);
const versions = {};
for (const name of ["bootstrap", "bootstrap-icons", "htmx.org", "echarts"]) {
  versions[name] = require(path.join(modules, name, "package.json")).version;
}
fs.writeFileSync(path.join(vendor, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`前端资源已复制到 ${path.relative(root, vendor)}：${JSON.stringify(versions)}`);
