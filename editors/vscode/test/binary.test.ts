import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BinaryNotFoundError, pathEntries, resolveBinary, type BinarySearch } from "../src/binary";

// These tests lay out real executables in a temporary directory and let `resolveBinary` check the
// real file system, execute bits included.
const posixOnly = { skip: process.platform === "win32" ? "execute bits are POSIX" : false };

describe("resolveBinary on a real file system", posixOnly, () => {
  let root: string;
  let home: string;
  let folder: string;
  let empty: string;
  let first: string;
  let second: string;
  let notExecutable: string;
  let bundled: string;
  let relative: string;

  /** Creates `dir/name`, executable unless told otherwise, and returns the directory. */
  function plant(dir: string, { executable = true, name = "plimsoll" } = {}): string {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    fs.writeFileSync(file, "#!/bin/sh\nexit 0\n");
    fs.chmodSync(file, executable ? 0o755 : 0o644);
    return dir;
  }

  function search(overrides: Partial<BinarySearch>): BinarySearch {
    return {
      configuredPath: "",
      vars: { userHome: home, workspaceFolder: folder },
      envPath: "",
      platform: process.platform,
      bundledDir: path.join(root, "extension-without-binary", "bundled", "bin"),
      ...overrides,
    };
  }

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "plimsoll-vscode-"));
    home = path.join(root, "home");
    plant(path.join(home, "bin"));
    folder = path.join(root, "project");
    plant(path.join(folder, "tools"));
    empty = path.join(root, "empty");
    fs.mkdirSync(empty);
    first = plant(path.join(root, "first"));
    second = plant(path.join(root, "second"));
    notExecutable = plant(path.join(root, "not-executable"), { executable: false });
    bundled = plant(path.join(root, "extension", "bundled", "bin"));
    relative = path.relative(process.cwd(), plant(path.join(root, "relative")));
    fs.mkdirSync(path.join(root, "dir-named-plimsoll", "plimsoll"), { recursive: true });
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("takes the first executable plimsoll on PATH", () => {
    const found = resolveBinary(search({ envPath: [empty, first, second].join(path.delimiter) }));
    assert.deepEqual(found, { path: path.join(first, "plimsoll"), source: "PATH" });
  });

  it("passes over files that are not executable and directories named plimsoll", () => {
    const envPath = [notExecutable, path.join(root, "dir-named-plimsoll"), second].join(path.delimiter);
    assert.deepEqual(resolveBinary(search({ envPath })), { path: path.join(second, "plimsoll"), source: "PATH" });
  });

  it("never runs a plimsoll found through a relative PATH entry", () => {
    assert.ok(!path.isAbsolute(relative) && fs.existsSync(path.join(relative, "plimsoll")));
    const envPath = [relative, second].join(path.delimiter);
    assert.deepEqual(resolveBinary(search({ envPath })), { path: path.join(second, "plimsoll"), source: "PATH" });
  });

  it("prefers PATH over the bundled binary, and falls back to it", () => {
    const bundledDir = bundled;
    assert.equal(resolveBinary(search({ envPath: first, bundledDir })).source, "PATH");
    assert.deepEqual(resolveBinary(search({ envPath: empty, bundledDir })), {
      path: path.join(bundled, "plimsoll"),
      source: "bundled",
    });
  });

  it("takes plimsoll.path before PATH and the bundled binary", () => {
    const configuredPath = path.join(second, "plimsoll");
    const found = resolveBinary(search({ configuredPath, envPath: first, bundledDir: bundled }));
    assert.deepEqual(found, { path: configuredPath, source: "plimsoll.path" });
  });

  it("expands ~ and ${workspaceFolder} in plimsoll.path and resolves a relative one in the folder", () => {
    const expected = (file: string) => ({ path: file, source: "plimsoll.path" });
    assert.deepEqual(
      resolveBinary(search({ configuredPath: "~/bin/plimsoll" })),
      expected(path.join(home, "bin", "plimsoll")),
    );
    assert.deepEqual(
      resolveBinary(search({ configuredPath: "${workspaceFolder}/tools/plimsoll" })),
      expected(path.join(folder, "tools", "plimsoll")),
    );
    assert.deepEqual(
      resolveBinary(search({ configuredPath: "tools/plimsoll" })),
      expected(path.join(folder, "tools", "plimsoll")),
    );
  });

  it("fails on a plimsoll.path that points nowhere instead of running another plimsoll", () => {
    const configuredPath = path.join(notExecutable, "plimsoll");
    assert.throws(
      () => resolveBinary(search({ configuredPath, envPath: first, bundledDir: bundled })),
      (error: unknown) =>
        error instanceof BinaryNotFoundError &&
        error.message.includes("is not an executable file") &&
        error.looked.length === 1 &&
        error.looked[0] === configuredPath,
    );
  });

  it("fails on ${workspaceFolder} in plimsoll.path when no folder is open", () => {
    assert.throws(
      () => resolveBinary(search({ configuredPath: "${workspaceFolder}/tools/plimsoll", vars: { userHome: home } })),
      /uses \$\{workspaceFolder\}, but no folder is open/,
    );
  });

  it("lists every place it looked when nothing is found", () => {
    try {
      resolveBinary(search({ envPath: [empty, notExecutable].join(path.delimiter) }));
      assert.fail("resolveBinary found a binary where there is none");
    } catch (error) {
      assert.ok(error instanceof BinaryNotFoundError);
      assert.match(error.message, /not found on PATH/);
      assert.deepEqual(error.looked, [
        path.join(empty, "plimsoll"),
        path.join(notExecutable, "plimsoll"),
        path.join(root, "extension-without-binary", "bundled", "bin", "plimsoll"),
      ]);
    }
  });
});

describe("resolveBinary on Windows", () => {
  // Windows paths cannot be laid out on a POSIX test machine: the file system is a set of names.
  function on(files: string[], overrides: Partial<BinarySearch>) {
    const existing = new Set(files);
    return resolveBinary({
      configuredPath: "",
      vars: { userHome: "C:\\Users\\dev", workspaceFolder: "C:\\src\\project" },
      envPath: "",
      platform: "win32",
      bundledDir: "C:\\ext\\bundled\\bin",
      isExecutable: (file) => existing.has(file),
      ...overrides,
    });
  }

  it("looks for plimsoll.exe in ;-separated PATH entries, quoted or not", () => {
    const found = on(["C:\\Program Files\\plimsoll\\plimsoll.exe"], {
      envPath: 'C:\\Windows;"C:\\Program Files\\plimsoll";.\\tools',
    });
    assert.deepEqual(found, { path: "C:\\Program Files\\plimsoll\\plimsoll.exe", source: "PATH" });
  });

  it("adds .exe to a plimsoll.path without an extension", () => {
    const found = on(["C:\\tools\\plimsoll.exe"], { configuredPath: "C:\\tools\\plimsoll" });
    assert.deepEqual(found, { path: "C:\\tools\\plimsoll.exe", source: "plimsoll.path" });
  });

  it("resolves a relative plimsoll.path in the workspace folder", () => {
    const found = on(["C:\\src\\project\\bin\\plimsoll.exe"], { configuredPath: "bin\\plimsoll.exe" });
    assert.deepEqual(found, { path: "C:\\src\\project\\bin\\plimsoll.exe", source: "plimsoll.path" });
  });

  it("falls back to the bundled plimsoll.exe", () => {
    const found = on(["C:\\ext\\bundled\\bin\\plimsoll.exe"], { envPath: "C:\\Windows" });
    assert.deepEqual(found, { path: "C:\\ext\\bundled\\bin\\plimsoll.exe", source: "bundled" });
  });
});

describe("pathEntries", () => {
  it("keeps absolute entries in order and drops empty and relative ones", () => {
    assert.deepEqual(pathEntries("/usr/bin::bin:./x:/opt/bin", "linux"), ["/usr/bin", "/opt/bin"]);
    assert.deepEqual(pathEntries(undefined, "linux"), []);
    assert.deepEqual(pathEntries("C:\\a;;tools;D:\\b", "win32"), ["C:\\a", "D:\\b"]);
  });

  it("looks in a directory listed twice only once", () => {
    assert.deepEqual(pathEntries("/root/.cargo/bin:/usr/bin:/root/.cargo/bin", "linux"), ["/root/.cargo/bin", "/usr/bin"]);
  });
});
