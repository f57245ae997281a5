use plimsoll_diagnostic::{Edit, Fix};
use plimsoll_dockerfile::{Body, Instruction, Keyword};
use plimsoll_linter::{Check, InstructionCtx, Reporter, declare_rule};

use crate::support::add_sources::{AddSource, classify};
use crate::support::option_removal::with_one_blank;

declare_rule! {
    /// ## What it does
    /// Flags `ADD` instructions whose sources are all plain local files or directories (or heredocs): nothing
    /// that `ADD` would download, clone or extract, so `COPY` does exactly the same.
    ///
    /// ## Why is this bad?
    /// `ADD` decides what to do from its source: it downloads URLs, clones Git repositories and extracts
    /// local tar archives, which BuildKit recognises by content, not by name. An `ADD` meant to copy a file
    /// therefore unpacks it instead if it turns out to be a tarball, and a later edit that turns the source
    /// into a URL fetches remote content with no review of the instruction. `COPY` only ever copies, so the
    /// instruction says what it does.
    ///
    /// Not flagged: tar archives (`.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2`, `.tar.xz`/`.txz`,
    /// `.tar.zst`/`.tzst`, and `.gz`, `.bz2`, `.xz`, `.zst`, which may hold a tar) unless `--unpack=false`
    /// is given; URLs and Git sources (see `add-remote-url-without-checksum`); sources that depend on a
    /// variable without a value; and an `ADD` that mixes a plain file with an archive or URL, which needs
    /// `ADD` for the rest. A `.zip` is not extracted by `ADD`, so it is flagged.
    ///
    /// ## Fix
    /// Replaces the keyword with `COPY` in the same case (`add` becomes `copy`); flags both instructions
    /// take (`--chown`, `--chmod`, `--link`, `--exclude`) and heredocs stay as they are, and
    /// `--unpack=false`, which `COPY` does not take and does not need, is removed. No fix is offered
    /// when the `ADD` has another flag `COPY` would reject (`--checksum`, `--keep-git-dir`).
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM eclipse-temurin:21-jre
    /// ADD target/app.jar /app/app.jar
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM eclipse-temurin:21-jre
    /// COPY target/app.jar /app/app.jar
    /// ```
    ///
    /// ## References
    /// - [Docker build best practices: ADD or COPY](https://docs.docker.com/build/building/best-practices/#add-or-copy)
    /// - [Dockerfile reference: ADD](https://docs.docker.com/reference/dockerfile/#add)
    /// - CIS Docker Benchmark v1.6.0, 4.9 "Ensure that COPY is used instead of ADD in Dockerfiles"
    code: "IMG009",
    name: "add-instead-of-copy",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DL3020", "CKV_DOCKER_4", "DS-0005", "9513a694-aa0d-41d8-be61-3271e056f36b", "CIS-DI-0009"],
    checks: [Check::Instruction(&[Keyword::Add], check)],
}

fn check(ctx: &InstructionCtx, r: &mut Reporter) {
    let inst = ctx.instruction;
    let Body::Add(add) = &inst.body else { return };
    if add.sources.is_empty() {
        return;
    }
    let plain = add.sources.iter().all(|source| {
        let expanded = ctx.expand(&source.text);
        matches!(
            classify(inst, source, &expanded.text, expanded.complete),
            AddSource::Local { archive: false } | AddSource::Heredoc
        )
    });
    if plain {
        let emit = r.report(inst.keyword_range, "`ADD` is used where `COPY` does the same").help(
            "Replace `ADD` with `COPY`; keep `ADD` for tar archives it should extract and for downloads verified \
             with `--checksum`.",
        );
        if let Some(fix) = copy_fix(ctx.doc.text, inst) {
            emit.fix(fix);
        }
    }
}

/// Flags `ADD` and `COPY` both take, with the same meaning (Dockerfile reference).
const SHARED_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude"];

/// `ADD` → `COPY`, keeping the keyword's case, and without `--unpack=false` (`COPY` rejects the flag and
/// never unpacks). `None` when the keyword is not written plainly or a flag would not carry over.
fn copy_fix(text: &str, inst: &Instruction) -> Option<Fix> {
    let written = inst.keyword_range.slice(text);
    let replacement = match written {
        "add" => "copy",
        "Add" => "Copy",
        _ if written.eq_ignore_ascii_case("add") => "COPY",
        _ => return None,
    };
    let mut edits = vec![Edit { range: inst.keyword_range, replacement: replacement.to_string() }];
    let mut removed = String::new();
    for flag in &inst.flags {
        if SHARED_FLAGS.contains(&flag.name.value.as_str()) {
            continue;
        }
        if flag.range.slice(text) != "--unpack=false" {
            return None;
        }
        edits.push(Edit { range: with_one_blank(text, flag.range)?, replacement: String::new() });
        removed = " --unpack=false".to_string();
    }
    Some(Fix { title: format!("Replace `{written}{removed}` with `{replacement}`"), edits })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_fixed, assert_no_fix, spans};

    #[test]
    fn the_fix_replaces_the_keyword_only() {
        assert_fixed(&RULE, "FROM a:1\nADD app.jar /app/\n", "FROM a:1\nCOPY app.jar /app/\n");
        assert_fixed(&RULE, "FROM a:1\nadd --chown=app . /src\n", "FROM a:1\ncopy --chown=app . /src\n");
        assert_fixed(&RULE, "FROM a:1\nAdd x /x\n", "FROM a:1\nCopy x /x\n");
        assert_fixed(&RULE, "FROM a:1\naDd x /x\n", "FROM a:1\nCOPY x /x\n");
        assert_fixed(
            &RULE,
            "FROM a:1\nADD --link --chmod=0644 [\"my file.txt\", \"/x/\"]\n",
            "FROM a:1\nCOPY --link --chmod=0644 [\"my file.txt\", \"/x/\"]\n",
        );
        assert_fixed(
            &RULE,
            "FROM a:1\nADD \\\n  a.sh \\\n  b.sh /bin/\n",
            "FROM a:1\nCOPY \\\n  a.sh \\\n  b.sh /bin/\n",
        );
        assert_fixed(&RULE, "FROM a:1\nONBUILD ADD . /app\n", "FROM a:1\nONBUILD COPY . /app\n");
        assert_fixed(
            &RULE,
            "FROM a:1\nADD <<EOF /etc/motd\nhello\nEOF\n",
            "FROM a:1\nCOPY <<EOF /etc/motd\nhello\nEOF\n",
        );
        assert_fixed(&RULE, "FROM a:1\nADD a /a\nADD b /b\n", "FROM a:1\nCOPY a /a\nCOPY b /b\n");
    }

    #[test]
    fn unpack_false_goes_and_add_only_flags_keep_add() {
        assert_fixed(
            &RULE,
            "FROM a:1\nADD --unpack=false --chown=1000 vendor.tar.gz /v/\n",
            "FROM a:1\nCOPY --chown=1000 vendor.tar.gz /v/\n",
        );
        let titled = crate::testing::lint(&RULE, "FROM a:1\nADD --unpack=false v.tar /v/\n");
        assert_eq!(
            titled[0].fix.as_ref().map(|f| f.title.as_str()),
            Some("Replace `ADD --unpack=false` with `COPY`")
        );
        assert_no_fix(&RULE, "FROM a:1\nADD --keep-git-dir=true src /src\n");
        assert_no_fix(&RULE, "FROM a:1\nADD --checksum=sha256:0123 app.jar /app/\n");
    }

    #[test]
    fn plain_local_sources_point_at_the_keyword() {
        assert_eq!(spans(&RULE, "FROM a:1\nADD app.jar /app/\n"), ["ADD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nadd --chown=app . /src\n"), ["add"]);
        assert_eq!(spans(&RULE, "FROM a:1\nADD [\"my file.txt\", \"/x/\"]\n"), ["ADD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nADD \\\n  a.sh \\\n  b.sh /bin/\n"), ["ADD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nADD dist.zip /srv/\n"), ["ADD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD ADD . /app\n"), ["ADD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nADD --unpack=false vendor.tar.gz /v/\n"), ["ADD"]);
    }

    #[test]
    fn heredocs_and_variables() {
        assert_eq!(spans(&RULE, "FROM a:1\nADD <<EOF /etc/motd\nhello\nEOF\n"), ["ADD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nARG JAR=target/*.jar\nADD ${JAR} app.jar\n"), ["ADD"]);
        assert_clean(&RULE, "FROM a:1\nARG ROOTFS=rootfs.tar.xz\nADD $ROOTFS /\n");
        assert_clean(&RULE, "FROM a:1\nARG SRC\nADD $SRC /x\n");
    }

    #[test]
    fn archives_and_remote_sources_need_add() {
        assert_clean(&RULE, "FROM scratch\nADD alpine-minirootfs-3.22.0-x86_64.tar.gz /\n");
        assert_clean(&RULE, "FROM a:1\nADD vendor.TGZ *.tar.bz2 rootfs.tar.zst /x/\n");
        assert_clean(&RULE, "FROM a:1\nADD https://example.com/tool /usr/bin/tool\n");
        assert_clean(&RULE, "FROM a:1\nADD git@github.com:org/repo.git /r\n");
        assert_clean(&RULE, "FROM a:1\nADD notes.txt https://example.com/x /d/\n");
        assert_clean(&RULE, "FROM a:1\nADD config.txt rootfs.tar /d/\n");
        assert_clean(&RULE, "FROM a:1\nCOPY app.jar /app/\n");
    }
}
