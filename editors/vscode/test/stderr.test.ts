import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stderrLevel } from "../src/stderr";

describe("stderrLevel", () => {
  it("keeps the stderr copy of a log line at debug level", () => {
    // The server sends the same message as window/logMessage, at its own level.
    assert.equal(stderrLevel("plimsoll: settings changed: ClientSettings { isolated: false }"), "debug");
  });

  it("shows everything else as an error", () => {
    assert.equal(stderrLevel("error: cannot read the LSP stream: broken pipe"), "error");
    assert.equal(stderrLevel("thread 'main' panicked at crates/server/src/server.rs:1:1:"), "error");
    assert.equal(stderrLevel("error: internal error (index out of bounds); please report this bug"), "error");
    // Only the server's own prefix, at the start of the line, marks a log line.
    assert.equal(stderrLevel("  plimsoll: indented"), "error");
    assert.equal(stderrLevel("plimsoll:no-space"), "error");
  });
});
