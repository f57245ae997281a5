// What the server writes on stderr, and at which level the Plimsoll output channel shows it.
//
// `plimsoll server` writes each log line twice: as `plimsoll: <message>` on stderr, for a terminal,
// and as `window/logMessage` at its level, which the channel shows. The language client would log
// every stderr line as an error, so each message appeared twice, once marked [error]. The stderr copy
// of a log line is kept at debug level; anything else on stderr (`error: …` when the server cannot
// run, a panic) is an error. This module does not import `vscode`, so node's test runner can load it.

export type StderrLevel = "debug" | "error";

/** The prefix of the server's log lines on stderr. */
const LOG_LINE_PREFIX = "plimsoll: ";

export function stderrLevel(line: string): StderrLevel {
  return line.startsWith(LOG_LINE_PREFIX) ? "debug" : "error";
}
