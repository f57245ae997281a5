// Starts, stops and restarts `plimsoll server` behind one language client for the whole window. The
// server finds each document's nearest plimsoll.toml itself, so one process serves every folder.

import * as os from "node:os";
import * as readline from "node:readline";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  RevealOutputChannelOn,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { BinaryNotFoundError, resolveBinary } from "./binary";
import { documentSelector } from "./documents";
import { answerConfiguration, SECTION, toServerSettings, type ServerSettings } from "./settings";
import { stderrLevel } from "./stderr";

export class PlimsollServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  /** Settings problems already logged, so a server that asks often does not repeat them. */
  private readonly reportedProblems = new Set<string>();
  /** Serialises start/stop/restart: a path change during a start waits for it. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly traceOutput: vscode.LogOutputChannel,
  ) {}

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  dispose(): void {
    void this.stop();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.pending = this.pending.then(step, step);
    return this.pending;
  }

  private async doStart(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    let binary;
    try {
      binary = resolveBinary({
        configuredPath: vscode.workspace.getConfiguration(SECTION, folder?.uri).get("path"),
        vars: { userHome: os.homedir(), workspaceFolder: folder?.uri.fsPath },
        envPath: process.env.PATH,
        platform: process.platform,
        bundledDir: this.context.asAbsolutePath("bundled/bin"),
      });
    } catch (error) {
      if (error instanceof BinaryNotFoundError) {
        this.output.error(error.message);
        for (const file of error.looked) {
          this.output.info(`  not found: ${file}`);
        }
        void this.offerHelp(error.message);
        return;
      }
      throw error;
    }
    this.output.info(`Starting ${binary.path} server (found through ${binary.source})`);

    const serverOptions: ServerOptions = {
      command: binary.path,
      args: ["server"],
      // The server resolves a relative plimsoll.config against the workspace root; its working
      // directory matters only to what it logs.
      options: { cwd: folder?.uri.fsPath },
    };
    const client = new LanguageClient(SECTION, "Plimsoll", serverOptions, this.clientOptions());
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      // The client has already logged the cause; a failed start must not leave a dead client behind.
      this.client = undefined;
      await client.dispose().catch(() => undefined);
      void this.offerHelp(`plimsoll server did not start: ${String(error)}`);
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      await client.dispose();
    }
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: documentSelector(),
      outputChannel: this.output,
      traceOutputChannel: this.traceOutput,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      stdioOptions: {
        stdout: (input, output) => eachLine(input, (line) => output.info(line)),
        stderr: (input, output) => eachLine(input, (line) => output[stderrLevel(line)](line)),
      },
      // A function, so a restart sends the settings as they are then.
      initializationOptions: () => this.serverSettings(undefined),
      // Notify the server on every `plimsoll.*` change; it re-reads its settings then.
      synchronize: { configurationSection: SECTION },
      middleware: {
        workspace: {
          // VS Code would answer `plimsoll` with the section as stored (with `path`, `trace` and
          // `null`s); answer with the contract's object instead, per folder.
          configuration: async (params, token, next) => {
            const stored = await next(params, token);
            if (!Array.isArray(stored)) {
              return stored;
            }
            return answerConfiguration(params.items, stored, (scopeUri) =>
              this.serverSettings(scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri)),
            );
          },
          didChangeConfiguration: async (sections, next) => {
            if (sections === undefined || !sections.includes(SECTION) || this.client === undefined) {
              return next(sections);
            }
            await this.client.sendNotification(DidChangeConfigurationNotification.type, {
              settings: { [SECTION]: this.serverSettings(undefined) },
            });
          },
        },
      },
    };
  }

  /**
   * The server's settings for a folder or document; for `undefined`, the workspace's (what a folder
   * of a multi-root workspace sets applies to that folder only, so it is not sent as the default).
   */
  private serverSettings(scope: vscode.Uri | undefined): ServerSettings {
    // `${workspaceFolder}` in a workspace-wide setting stands for the first folder, the workspace root.
    const folder =
      (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
    const stored = vscode.workspace.getConfiguration(SECTION, scope);
    const { settings, problems } = toServerSettings((key) => stored.get(key), {
      userHome: os.homedir(),
      workspaceFolder: folder?.uri.fsPath,
    });
    for (const problem of problems) {
      if (!this.reportedProblems.has(problem)) {
        this.reportedProblems.add(problem);
        this.output.warn(problem);
      }
    }
    return settings;
  }

  private async offerHelp(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, "Open Settings", "Show Logs");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.path`);
    } else if (choice === "Show Logs") {
      this.output.show();
    }
  }
}

function eachLine(input: NodeJS.ReadableStream, handle: (line: string) => void): void {
  readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on("line", handle);
}
