import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { answerConfiguration, expandPathVariables, toServerSettings } from "../src/settings";

const home = path.join(path.sep, "home", "dev");
const folder = path.join(path.sep, "work", "project");
const vars = { userHome: home, workspaceFolder: folder };

/** `read` for stored settings given as an object, as `WorkspaceConfiguration.get` would return them. */
function stored(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe("toServerSettings", () => {
  it("passes every contract key through in camelCase", () => {
    const { settings, problems } = toServerSettings(
      stored({
        config: "ci/plimsoll.toml",
        isolated: true,
        select: ["ISO", "container-runs-as-root"],
        extendSelect: ["DL3002"],
        ignore: ["ISO001"],
        logLevel: "debug",
      }),
      vars,
    );
    assert.deepEqual(settings, {
      config: "ci/plimsoll.toml",
      isolated: true,
      select: ["ISO", "container-runs-as-root"],
      extendSelect: ["DL3002"],
      ignore: ["ISO001"],
      logLevel: "debug",
    });
    assert.deepEqual(problems, []);
  });

  it("leaves out the client-only settings", () => {
    const { settings } = toServerSettings(
      stored({ path: "/opt/plimsoll", trace: { server: "verbose" }, "trace.server": "verbose" }),
      vars,
    );
    assert.deepEqual(settings, {});
  });

  it("leaves out untouched settings rather than sending empty values", () => {
    // An empty `select` sent to the server would select no rule and silence every diagnostic.
    const { settings, problems } = toServerSettings(
      stored({ config: "  ", select: [], extendSelect: [" "], ignore: [], isolated: null, logLevel: undefined }),
      vars,
    );
    assert.deepEqual(settings, {});
    assert.deepEqual(problems, []);
  });

  it("trims selectors and drops blank ones", () => {
    const { settings } = toServerSettings(stored({ ignore: [" ISO001 ", "", "SEC"] }), vars);
    assert.deepEqual(settings.ignore, ["ISO001", "SEC"]);
  });

  it("expands ~ and ${workspaceFolder} in config but keeps a relative path relative", () => {
    assert.equal(
      toServerSettings(stored({ config: "~/plimsoll.toml" }), vars).settings.config,
      path.join(home, "plimsoll.toml"),
    );
    assert.equal(
      toServerSettings(stored({ config: "${workspaceFolder}/ci/plimsoll.toml" }), vars).settings.config,
      `${folder}/ci/plimsoll.toml`,
    );
    assert.equal(toServerSettings(stored({ config: "ci/plimsoll.toml" }), vars).settings.config, "ci/plimsoll.toml");
  });

  it("reports a ${workspaceFolder} config in a window without folders instead of sending a broken path", () => {
    const { settings, problems } = toServerSettings(stored({ config: "${workspaceFolder}/plimsoll.toml" }), {
      userHome: home,
    });
    assert.equal(settings.config, undefined);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /plimsoll\.config uses \$\{workspaceFolder\} but no folder is open/);
  });

  it("drops values of the wrong type with one problem each", () => {
    const { settings, problems } = toServerSettings(
      stored({
        config: 42,
        isolated: "yes",
        select: "ISO",
        extendSelect: ["ISO", 7],
        ignore: { ISO001: true },
        logLevel: "verbose",
      }),
      vars,
    );
    assert.deepEqual(settings, {});
    assert.deepEqual(problems, [
      "plimsoll.config must be a path to a plimsoll.toml; ignoring 42",
      'plimsoll.isolated must be true or false; ignoring "yes"',
      'plimsoll.select must be a list of rule selectors such as "ISO" or "ISO001"; ignoring "ISO"',
      'plimsoll.extendSelect must be a list of rule selectors such as "ISO" or "ISO001"; ignoring ["ISO",7]',
      'plimsoll.ignore must be a list of rule selectors such as "ISO" or "ISO001"; ignoring {"ISO001":true}',
      'plimsoll.logLevel must be one of error, warn, info, debug, trace; ignoring "verbose"',
    ]);
  });

  it("keeps an explicit isolated: false", () => {
    assert.deepEqual(toServerSettings(stored({ isolated: false }), vars).settings, { isolated: false });
  });
});

describe("expandPathVariables", () => {
  it("expands ${userHome} anywhere and ~ only at the start", () => {
    assert.equal(expandPathVariables("${userHome}/bin/plimsoll", vars), `${home}/bin/plimsoll`);
    assert.equal(expandPathVariables("~", vars), home);
    assert.equal(expandPathVariables("/opt/~plimsoll", vars), "/opt/~plimsoll");
  });

  it("returns undefined for ${workspaceFolder} without a folder", () => {
    assert.equal(expandPathVariables("${workspaceFolder}/x", { userHome: home }), undefined);
    assert.equal(expandPathVariables("/x", { userHome: home }), "/x");
  });
});

describe("answerConfiguration", () => {
  it("answers the plimsoll section per scope and keeps VS Code's answer for the others", () => {
    const scopes: (string | undefined)[] = [];
    const answer = answerConfiguration(
      [
        { section: "plimsoll", scopeUri: "file:///work/a/Dockerfile" },
        { section: "editor", scopeUri: "file:///work/a/Dockerfile" },
        { section: "plimsoll", scopeUri: null },
        { section: "plimsoll.select" },
      ],
      [{ path: "/opt/plimsoll", select: [] }, { tabSize: 4 }, null, ["ISO"]],
      (scopeUri) => {
        scopes.push(scopeUri);
        return { select: [scopeUri ?? "window"] };
      },
    );
    assert.deepEqual(answer, [
      { select: ["file:///work/a/Dockerfile"] },
      { tabSize: 4 },
      { select: ["window"] },
      ["ISO"],
    ]);
    assert.deepEqual(scopes, ["file:///work/a/Dockerfile", undefined]);
  });
});
