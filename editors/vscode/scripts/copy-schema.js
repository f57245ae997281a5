// Copies the plimsoll.toml JSON schema into out/, so the .vsix carries it for TOML extensions
// (`tomlValidation` in package.json). Copied at build time rather than checked in twice, so it
// cannot drift from crates/config, where `plimsoll config schema` keeps it.
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "..", "..", "..", "crates", "config", "plimsoll.schema.json");
const target = path.join(__dirname, "..", "out", "plimsoll.schema.json");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(source, target);
