// package.json and the code must agree: VS Code reads one, the extension runs the other, and nothing
// else checks that a setting, command or language declared in one exists in the other.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { documentSelector, FILE_PATTERNS, LANGUAGES } from "../src/documents";
import { CLIENT_SETTING_KEYS, LOG_LEVELS, SECTION, SERVER_SETTING_KEYS, toServerSettings } from "../src/settings";

// Compiled to out/test/, two levels below the extension's root.
const root = path.join(__dirname, "..", "..");

interface Property {
  type: string;
  default: unknown;
  enum?: string[];
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const properties: Record<string, Property> = manifest.contributes.configuration.properties;

describe("package.json", () => {
  it("contributes exactly the settings the extension reads", () => {
    const expected = [...SERVER_SETTING_KEYS, ...CLIENT_SETTING_KEYS].map((key) => `${SECTION}.${key}`);
    assert.deepEqual(Object.keys(properties).sort(), expected.sort());
  });

  it("has defaults that override nothing the configuration files say", () => {
    const defaults = (key: string) => properties[`${SECTION}.${key}`]?.default;
    const { settings, problems } = toServerSettings(defaults, { userHome: "/home/dev" });
    assert.deepEqual(problems, []);
    for (const key of ["config", "select", "extendSelect", "ignore"] as const) {
      assert.equal(settings[key], undefined, `the default of plimsoll.${key} reaches the server`);
    }
    assert.notEqual(settings.isolated, true);
  });

  it("offers the log levels the server accepts", () => {
    assert.deepEqual(properties[`${SECTION}.logLevel`].enum, [...LOG_LEVELS]);
  });

  it("activates on every language the client selects, and on plimsoll.toml", () => {
    const events: string[] = manifest.activationEvents;
    const languages = events.filter((e) => e.startsWith("onLanguage:")).map((e) => e.slice("onLanguage:".length));
    assert.deepEqual(languages.sort(), [...LANGUAGES].sort());
    assert.ok(events.includes("workspaceContains:**/plimsoll.toml"));
    assert.ok(events.includes("workspaceContains:**/.plimsoll.toml"));
  });

  it("registers every contributed command", () => {
    const source = fs.readFileSync(path.join(root, "src", "extension.ts"), "utf8");
    const commands: { command: string }[] = manifest.contributes.commands;
    assert.deepEqual(commands.map((c) => c.command).sort(), ["plimsoll.restart", "plimsoll.showLogs"]);
    for (const { command } of commands) {
      assert.ok(source.includes(`registerCommand("${command}"`), `${command} is not registered`);
    }
  });

  it("ignores a workspace's plimsoll.path until the workspace is trusted", () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [`${SECTION}.path`]);
  });

  it("gives TOML extensions the configuration's schema for plimsoll.toml and .plimsoll.toml", () => {
    const [{ regexMatch, url }] = manifest.contributes.tomlValidation;
    const matches = new RegExp(regexMatch);
    assert.ok(matches.test("file:///work/project/plimsoll.toml"));
    assert.ok(matches.test("file:///work/project/.plimsoll.toml"));
    assert.ok(!matches.test("file:///work/project/myplimsoll.toml"));
    assert.ok(!matches.test("file:///work/project/plimsoll.toml.bak"));
    // The copy the compile step puts into the .vsix is the configuration crate's schema.
    const shipped = fs.readFileSync(path.join(root, url), "utf8");
    const source = fs.readFileSync(path.join(root, "..", "..", "crates", "config", "plimsoll.schema.json"), "utf8");
    assert.equal(shipped, source);
  });

  it("points main at the compiled entry point", () => {
    assert.equal(manifest.main, "./out/src/extension.js");
    assert.ok(fs.existsSync(path.join(root, manifest.main)));
  });
});

describe("documentSelector", () => {
  const selector = documentSelector();

  it("selects each language in files and unsaved buffers", () => {
    for (const language of LANGUAGES) {
      for (const scheme of ["file", "untitled"]) {
        assert.ok(
          selector.some((f) => "language" in f && f.language === language && f.scheme === scheme),
          `${scheme} ${language}`,
        );
      }
    }
  });

  it("matches file-name patterns on disk only, since unsaved buffers have no name", () => {
    const patterns = selector.filter((f) => "pattern" in f);
    assert.deepEqual(
      patterns.map((f) => ("pattern" in f ? f.pattern : "")),
      [...FILE_PATTERNS],
    );
    assert.ok(patterns.every((f) => f.scheme === "file"));
  });
});
