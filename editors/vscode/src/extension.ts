// Entry point: registers the commands and starts `plimsoll server` when VS Code activates the extension
// (a Dockerfile, Compose, YAML or JSON document is opened, or the workspace has a plimsoll.toml).

import * as vscode from "vscode";
import { PlimsollServer } from "./server";
import { SECTION } from "./settings";

let server: PlimsollServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Plimsoll", { log: true });
  // The LSP message trace is verbose; a channel of its own keeps the server's log readable.
  const traceOutput = vscode.window.createOutputChannel("Plimsoll Trace", { log: true });
  server = new PlimsollServer(context, output, traceOutput);

  context.subscriptions.push(
    output,
    traceOutput,
    server,
    vscode.commands.registerCommand("plimsoll.restart", () => server?.restart()),
    vscode.commands.registerCommand("plimsoll.showLogs", () => output.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The other settings reach the running server through workspace/configuration; a different
      // binary needs a new process.
      if (event.affectsConfiguration(`${SECTION}.path`)) {
        output.info("plimsoll.path changed: restarting the server");
        void server?.restart();
      }
    }),
    // Granting trust makes a workspace's own plimsoll.path count (see restrictedConfigurations).
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server?.restart()),
  );

  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
