// The `plimsoll.*` settings as VS Code stores them, and the one object the server reads.
//
// The server takes the same object from `initializationOptions` and from `workspace/configuration`
// (section `plimsoll`). VS Code would hand it the whole section as stored, including the client-only
// keys (`path`, `trace`) and the defaults of every setting the user left alone; this module turns that
// into the contract's shape, so an untouched setting is absent rather than `""` or `[]` (an empty
// `select` would select no rule at all). It does not import `vscode`, so node's test runner can load it.

import * as path from "node:path";

/** The configuration section, which is also the extension's and the language client's id. */
export const SECTION = "plimsoll";

export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The settings object of the server contract: camelCase keys, every key optional. */
export interface ServerSettings {
  config?: string;
  isolated?: boolean;
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  logLevel?: LogLevel;
}

/** The keys of `plimsoll.*` that are passed to the server, in the order the README lists them. */
export const SERVER_SETTING_KEYS = [
  "config",
  "isolated",
  "select",
  "extendSelect",
  "ignore",
  "logLevel",
] as const satisfies readonly (keyof ServerSettings)[];

/** The keys of `plimsoll.*` that only the extension reads: the binary, and the client's LSP trace. */
export const CLIENT_SETTING_KEYS = ["path", "trace.server"] as const;

/** What `~`, `${userHome}` and `${workspaceFolder}` stand for in a path setting. */
export interface PathVariables {
  userHome: string;
  /** The folder the setting applies to; absent in a window with no folder open. */
  workspaceFolder?: string;
}

/** The server settings, and a sentence for each stored value that had to be left out. */
export interface ConvertedSettings {
  settings: ServerSettings;
  problems: string[];
}

/**
 * Expands `~`, `${userHome}` and `${workspaceFolder}` in a path setting, as the Ruff extension
 * does: VS Code substitutes no variables in extension settings, and a path shared through a
 * workspace's settings.json has to be written relative to something. Returns `undefined` when the
 * value names `${workspaceFolder}` and there is none.
 */
export function expandPathVariables(value: string, vars: PathVariables): string | undefined {
  if (value.includes("${workspaceFolder}") && vars.workspaceFolder === undefined) {
    return undefined;
  }
  let expanded = value
    .replaceAll("${userHome}", vars.userHome)
    .replaceAll("${workspaceFolder}", vars.workspaceFolder ?? "");
  if (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\")) {
    expanded = path.join(vars.userHome, expanded.slice(1));
  }
  return expanded;
}

/**
 * Builds the server's settings object from the stored `plimsoll.*` values.
 *
 * `read(key)` returns the stored value of `plimsoll.<key>` (what `WorkspaceConfiguration.get`
 * returns). A relative `config` is passed on as written: the server resolves it against the
 * workspace root, like `--config` on the command line.
 */
export function toServerSettings(
  read: (key: string) => unknown,
  vars: PathVariables,
): ConvertedSettings {
  const settings: ServerSettings = {};
  const problems: string[] = [];
  const reject = (key: string, value: unknown, expected: string) =>
    problems.push(`${SECTION}.${key} must be ${expected}; ignoring ${JSON.stringify(value)}`);

  const config = read("config");
  if (typeof config === "string") {
    const trimmed = config.trim();
    if (trimmed !== "") {
      const expanded = expandPathVariables(trimmed, vars);
      if (expanded === undefined) {
        problems.push(
          `${SECTION}.config uses \${workspaceFolder} but no folder is open; ignoring ${JSON.stringify(config)}`,
        );
      } else {
        settings.config = expanded;
      }
    }
  } else if (config !== null && config !== undefined) {
    reject("config", config, "a path to a plimsoll.toml");
  }

  const isolated = read("isolated");
  if (typeof isolated === "boolean") {
    settings.isolated = isolated;
  } else if (isolated !== null && isolated !== undefined) {
    reject("isolated", isolated, "true or false");
  }

  for (const key of ["select", "extendSelect", "ignore"] as const) {
    const value = read(key);
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
      // Selectors are validated by the server, which knows the rules and says which one is unknown.
      const selectors = value.map((item) => item.trim()).filter((item) => item !== "");
      // An empty list is the settings' default: it means "as configured", never "select no rule".
      if (selectors.length > 0) {
        settings[key] = selectors;
      }
    } else if (value !== null && value !== undefined) {
      reject(key, value, "a list of rule selectors such as \"ISO\" or \"ISO001\"");
    }
  }

  const logLevel = read("logLevel");
  if (typeof logLevel === "string" && (LOG_LEVELS as readonly string[]).includes(logLevel)) {
    settings.logLevel = logLevel as LogLevel;
  } else if (logLevel !== null && logLevel !== undefined) {
    reject("logLevel", logLevel, `one of ${LOG_LEVELS.join(", ")}`);
  }

  return { settings, problems };
}

/** One item of a `workspace/configuration` request. */
export interface ConfigurationItem {
  scopeUri?: string | null;
  section?: string | null;
}

/**
 * Answers a `workspace/configuration` request: each item for the `plimsoll` section gets the
 * contract's object for its scope; every other item keeps the answer VS Code gave (`stored`).
 */
export function answerConfiguration(
  items: readonly ConfigurationItem[],
  stored: readonly unknown[],
  settingsFor: (scopeUri: string | undefined) => ServerSettings,
): unknown[] {
  return items.map((item, index) =>
    item.section === SECTION ? settingsFor(item.scopeUri ?? undefined) : stored[index],
  );
}
