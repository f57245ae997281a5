// Which `plimsoll` executable the extension starts.
//
// The order follows the Ruff extension's default (`importStrategy: fromEnvironment`): an explicit
// `plimsoll.path` wins; otherwise the `plimsoll` the user installed on PATH, so the editor reports
// what the project's CI reports; a binary bundled into a platform-specific .vsix is the fallback for
// users who have none. This module does not import `vscode`, so node's test runner can load it.

import * as fs from "node:fs";
import * as path from "node:path";
import { expandPathVariables, type PathVariables } from "./settings";

export type BinarySource = "plimsoll.path" | "PATH" | "bundled";

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

export interface BinarySearch {
  /** The stored `plimsoll.path`; `null`, `undefined` or blank when the user left it alone. */
  configuredPath: unknown;
  vars: PathVariables;
  /** The extension host's PATH. */
  envPath: string | undefined;
  platform: NodeJS.Platform;
  /** Where a platform-specific .vsix carries its binary: `<extension>/bundled/bin`. */
  bundledDir: string;
  /** Whether a file may be started; defaults to a check of the real file system. */
  isExecutable?: (file: string) => boolean;
}

/** No binary was found; `message` says where the extension looked and what to do. */
export class BinaryNotFoundError extends Error {
  constructor(
    message: string,
    readonly looked: string[],
  ) {
    super(message);
    this.name = "BinaryNotFoundError";
  }
}

export function executableName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "plimsoll.exe" : "plimsoll";
}

/** Finds the binary, or throws a `BinaryNotFoundError`. */
export function resolveBinary(search: BinarySearch): ResolvedBinary {
  const paths = search.platform === "win32" ? path.win32 : path.posix;
  const isExecutable = search.isExecutable ?? ((file) => isExecutableFile(file, search.platform));
  const name = executableName(search.platform);

  const configured = typeof search.configuredPath === "string" ? search.configuredPath.trim() : "";
  if (configured !== "") {
    const file = configuredFile(configured, search.vars, paths);
    if (file === undefined) {
      throw new BinaryNotFoundError(
        `plimsoll.path is ${JSON.stringify(configured)}, which uses \${workspaceFolder}, but no folder is open.`,
        [],
      );
    }
    // An explicit setting that points nowhere is an error, not a reason to run some other plimsoll.
    const candidates = search.platform === "win32" && paths.extname(file) === "" ? [file, `${file}.exe`] : [file];
    const found = candidates.find(isExecutable);
    if (found === undefined) {
      throw new BinaryNotFoundError(
        `plimsoll.path is ${JSON.stringify(configured)}, but ${candidates.join(" or ")} is not an executable file.`,
        candidates,
      );
    }
    return { path: found, source: "plimsoll.path" };
  }

  const looked: string[] = [];
  for (const dir of pathEntries(search.envPath, search.platform)) {
    const file = paths.join(dir, name);
    looked.push(file);
    if (isExecutable(file)) {
      return { path: file, source: "PATH" };
    }
  }

  const bundled = paths.join(search.bundledDir, name);
  looked.push(bundled);
  if (isExecutable(bundled)) {
    return { path: bundled, source: "bundled" };
  }

  throw new BinaryNotFoundError(
    "The plimsoll executable was not found on PATH. Install plimsoll (`cargo install --path crates/cli` " +
      "in a plimsoll checkout), or set plimsoll.path to the binary.",
    looked,
  );
}

/** The absolute directories of PATH, in order. */
export function pathEntries(envPath: string | undefined, platform: NodeJS.Platform): string[] {
  const paths = platform === "win32" ? path.win32 : path.posix;
  return (envPath ?? "")
    .split(paths.delimiter)
    .map((entry) => (platform === "win32" ? entry.replace(/^"(.*)"$/, "$1") : entry))
    // A relative entry (and POSIX's empty entry, which means ".") is resolved against the server's
    // working directory, the workspace: a repository could then ship a `plimsoll` that VS Code runs
    // just by opening the folder.
    .filter((entry) => entry !== "" && paths.isAbsolute(entry))
    // Shell profiles often add a directory twice; looking there twice would only lengthen the report.
    .filter((entry, index, entries) => entries.indexOf(entry) === index);
}

function configuredFile(
  configured: string,
  vars: PathVariables,
  paths: typeof path.posix,
): string | undefined {
  const expanded = expandPathVariables(configured, vars);
  if (expanded === undefined) {
    return undefined;
  }
  // A bare command name ("plimsoll-nightly") is not looked up on PATH: the setting names a file.
  if (paths.isAbsolute(expanded) || vars.workspaceFolder === undefined) {
    return paths.normalize(expanded);
  }
  return paths.join(vars.workspaceFolder, expanded);
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    // Windows has no execute bit: a file named *.exe is the test.
    if (platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
