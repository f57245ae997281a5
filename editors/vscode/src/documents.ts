// Which documents the language client sends to the server.
//
// The server decides by path and content whether a document is a Dockerfile, a Compose file, a
// Kubernetes manifest or an IAM policy, and answers anything else with no diagnostics; so the client
// sends every document that could be one. Language ids cover files VS Code (or the Docker extension)
// recognises; the file-name patterns cover Dockerfile variants and Compose files opened under another
// language, say as plain text. Unsaved buffers have no path, so only their language can match.

/** The language ids of documents the server may lint; each has an `onLanguage` activation event. */
export const LANGUAGES = ["dockerfile", "dockercompose", "yaml", "json", "jsonc"] as const;

/** File-name patterns of Dockerfiles and Compose files, matched against the whole path. */
export const FILE_PATTERNS = [
  "**/Dockerfile",
  "**/Dockerfile.*",
  "**/*.dockerfile",
  "**/Containerfile",
  "**/Containerfile.*",
  "**/compose.y*ml",
  "**/docker-compose*.y*ml",
] as const;

/** A document filter as `vscode.DocumentFilter` and the LSP's `TextDocumentFilter` spell it. */
export type DocumentFilter = { scheme: string; language: string } | { scheme: string; pattern: string };

/** Files on disk and unsaved buffers; other schemes (virtual file systems) have no file for the server. */
export function documentSelector(): DocumentFilter[] {
  const byLanguage = (scheme: string) => LANGUAGES.map((language) => ({ scheme, language }));
  return [
    ...byLanguage("file"),
    ...byLanguage("untitled"),
    ...FILE_PATTERNS.map((pattern) => ({ scheme: "file", pattern })),
  ];
}
