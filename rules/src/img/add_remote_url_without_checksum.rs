use plimsoll_dockerfile::{Body, Keyword};
use plimsoll_linter::{Check, InstructionCtx, Reporter, declare_rule};

use crate::support::add_sources::{AddSource, classify};

declare_rule! {
    /// ## What it does
    /// Flags `ADD` instructions that download a URL without `--checksum=sha256:…`, and that clone a Git
    /// repository without pinning a commit (`--checksum=<commit>`, or a full commit id in the address).
    ///
    /// ## Why is this bad?
    /// Without a checksum the build takes whatever the server returns: a compromised download site, a
    /// re-uploaded release asset, a hijacked domain or (over `http://`) anyone on the network path can
    /// substitute the file, and the image ships it. Rebuilds of the same Dockerfile silently get different
    /// content. A Git tag or branch can be moved the same way.
    ///
    /// With `--checksum`, BuildKit verifies the download against the SHA-256 digest (for Git, that the ref
    /// resolves to the commit) and fails the build on a mismatch.
    ///
    /// Peers disagree on remote `ADD`: hadolint accepts it, KICS asks for `curl`/`wget` in a `RUN` instead.
    /// plimsoll's position is that the transport does not matter, verification does: `ADD --checksum` is
    /// the better form (verified, cached by content, no download tool left in the image), and an
    /// unverified `ADD` is as risky as an unverified `curl`. `ADD` sources whose address comes from a
    /// variable without a value are not checked.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM alpine:3.22
    /// ADD https://mirrors.edge.kernel.org/pub/linux/kernel/Historic/linux-0.01.tar.gz /src/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM alpine:3.22
    /// ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    ///     https://mirrors.edge.kernel.org/pub/linux/kernel/Historic/linux-0.01.tar.gz /src/
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    /// - [Docker build best practices: ADD or COPY](https://docs.docker.com/build/building/best-practices/#add-or-copy)
    code: "IMG008",
    name: "add-remote-url-without-checksum",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["4b410d24-1cbe-4430-a632-62c9a931cf1c"],
    checks: [Check::Instruction(&[Keyword::Add], check)],
}

fn check(ctx: &InstructionCtx, r: &mut Reporter) {
    let inst = ctx.instruction;
    let Body::Add(add) = &inst.body else { return };
    let has_checksum =
        inst.flag("checksum").and_then(|f| f.value.as_ref()).is_some_and(|v| !v.text.is_empty());
    if has_checksum {
        return;
    }
    for source in &add.sources {
        let expanded = ctx.expand(&source.text);
        match classify(inst, source, &expanded.text, expanded.complete) {
            AddSource::Http => {
                r.report(source.range, format!("`{}` is downloaded without a checksum", source.text)).help(
                    "Add `--checksum=sha256:<digest>` so the build verifies the download (or download it in a \
                     `RUN` and check it with `sha256sum -c`).",
                );
            }
            AddSource::Git { pinned: false } => {
                r.report(source.range, format!("Git source `{}` is not pinned to a commit", source.text)).help(
                    "Pin the commit with `--checksum=<commit sha>`, or name the full commit in the address \
                     (`repo.git#<commit sha>`).",
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    const SUM: &str = "sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d";

    #[test]
    fn downloads_without_a_checksum() {
        assert_eq!(
            spans(&RULE, "FROM a:1\nADD https://example.com/a.tar.gz /a/\n"),
            ["https://example.com/a.tar.gz"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nADD http://example.com/x /x\n"), ["http://example.com/x"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nADD --chown=app [\"https://example.com/a b\", \"/x\"]\n"),
            ["\"https://example.com/a b\""]
        );
        assert_eq!(
            spans(
                &RULE,
                "FROM a:1\nADD \\\n    https://example.com/one \\\n    https://example.com/two /d/\n"
            ),
            ["https://example.com/one", "https://example.com/two"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nONBUILD ADD https://example.com/x /x\n"),
            ["https://example.com/x"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nADD https://example.com/x /x\n"),
            ["`https://example.com/x` is downloaded without a checksum"]
        );
    }

    #[test]
    fn urls_from_variables() {
        assert_eq!(
            spans(&RULE, "FROM a:1\nARG V=1.2\nADD https://example.com/${V}/tool /usr/bin/tool\n"),
            ["https://example.com/${V}/tool"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nARG URL=https://example.com/x\nADD $URL /x\n"), ["$URL"]);
        assert_clean(&RULE, "FROM a:1\nARG URL\nADD $URL /x\n");
    }

    #[test]
    fn git_sources_must_name_a_commit() {
        assert_eq!(
            spans(&RULE, "FROM a:1\nADD https://github.com/moby/buildkit.git#v0.10.1 /b\n"),
            ["https://github.com/moby/buildkit.git#v0.10.1"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nADD git@github.com:org/repo.git /r\n"),
            ["git@github.com:org/repo.git"]
        );
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert_clean(&RULE, &format!("FROM a:1\nADD https://github.com/org/repo.git#{sha} /r\n"));
        assert_clean(
            &RULE,
            "FROM a:1\nADD --checksum=be1f38e https://github.com/moby/buildkit.git#v0.26.2 /\n",
        );
    }

    #[test]
    fn checksums_and_local_sources_pass() {
        assert_clean(&RULE, &format!("FROM a:1\nADD --checksum={SUM} https://example.com/a.tar.gz /\n"));
        assert_clean(&RULE, "FROM a:1\nARG SUM\nADD --checksum=sha256:${SUM} https://example.com/a /a\n");
        assert_clean(&RULE, "FROM a:1\nADD app.tar.gz /app/\nADD . /src\nCOPY https-notes.txt /n\n");
        assert_clean(&RULE, "FROM a:1\nADD <<EOF /x\nhttps://example.com\nEOF\n");
        assert_clean(&RULE, "FROM a:1\nRUN curl -fsSL https://example.com/x -o /x\n");
    }
}
