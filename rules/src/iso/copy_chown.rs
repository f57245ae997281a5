use plimsoll_dockerfile::Keyword;
use plimsoll_linter::{Check, InstructionCtx, Reporter, declare_rule};
use plimsoll_model::{User, UserRef};

use crate::support::stages;

declare_rule! {
    /// ## What it does
    /// Flags `COPY --chown=…` and `ADD --chown=…` that hand the copied files to a user other than root, in
    /// the stages that make up the final image. Off by default: it encodes the policy that application files
    /// stay root-owned.
    ///
    /// ## Why is this bad?
    /// Files copied without `--chown` belong to root, so a non-root process can read and run them but not
    /// change them. `--chown=app` gives them to the user the application usually runs as: a compromised or
    /// buggy process can then rewrite its own code, configuration and scripts, and the change persists for
    /// the container's lifetime. Only the directories the application must write (uploads, caches, state)
    /// need to belong to it.
    ///
    /// `--chown=root` and `--chown=0` (the default anyway) are not flagged, nor are stages that do not end
    /// up in the final image. An owner that comes from a variable without a value is reported as written.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:22-alpine
    /// COPY --chown=node:node . /app
    /// USER node
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM node:22-alpine
    /// COPY . /app
    /// RUN mkdir /app/uploads && chown node:node /app/uploads
    /// USER node
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: COPY --chown](https://docs.docker.com/reference/dockerfile/#copy---chown)
    code: "ISO008",
    name: "copy-chown",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Dockerfile],
    aliases: ["aa93e17f-b6db-4162-9334-c70334e7ac28"],
    checks: [Check::Instruction(&[Keyword::Copy, Keyword::Add], check)],
}

fn check(ctx: &InstructionCtx, r: &mut Reporter) {
    let Some(flag) = ctx.instruction.flag("chown") else { return };
    let Some(value) = &flag.value else { return };
    if !stages::ships(ctx) {
        return;
    }
    let expanded = ctx.expand(&value.text);
    let owner = if expanded.complete { expanded.text } else { value.text.clone() };
    let owner = User::parse(&owner);
    // `--chown=:group` leaves the user alone and only gives the files to the group.
    let owner = match (&owner.user, &owner.group) {
        (UserRef::Unknown(user), Some(group)) if user.is_empty() => match label(group) {
            Some(group) => format!("group `{group}`"),
            None => return,
        },
        (user, _) => match label(user) {
            Some(user) => format!("`{user}`"),
            None => return,
        },
    };
    r.report(flag.range, format!("Copied files are owned by {owner} instead of root")).help(
        "Drop `--chown` so the files stay root-owned and read-only to the application, and give its user write \
         access only to the directories it writes (`RUN mkdir /app/data && chown app /app/data`).",
    );
}

/// How to name a non-root owner; `None` for root and for an empty name.
fn label(owner: &UserRef) -> Option<String> {
    match owner {
        _ if owner.is_root() == Some(true) => None,
        UserRef::Id(id) => Some(id.to_string()),
        UserRef::Name(name) | UserRef::Unknown(name) => (!name.is_empty()).then(|| name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn non_root_owners_point_at_the_flag() {
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY --chown=app:app . /app\n"), ["--chown=app:app"]);
        assert_eq!(spans(&RULE, "FROM a:1\nADD --chown=1000 app.tar.gz /app/\n"), ["--chown=1000"]);
        assert_eq!(
            spans(&RULE, "FROM a:1 AS build\nFROM a:1\nCOPY --from=build --chown=10001:10001 /out /app\n"),
            ["--chown=10001:10001"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY --chown=app [\"a b\", \"/app/\"]\n"), ["--chown=app"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD COPY --chown=app . /app\n"), ["--chown=app"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nCOPY --chown=www-data:www-data . /var/www\n"),
            ["Copied files are owned by `www-data` instead of root"]
        );
    }

    #[test]
    fn variables() {
        assert_eq!(
            messages(&RULE, "FROM a:1\nARG APP_USER=app\nCOPY --chown=${APP_USER} . /app\n"),
            ["Copied files are owned by `app` instead of root"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nARG UID\nCOPY --chown=${UID}:${GID} . /app\n"),
            ["Copied files are owned by `${UID}` instead of root"]
        );
        assert_clean(&RULE, "FROM a:1\nARG OWNER=root\nCOPY --chown=$OWNER . /app\n");
    }

    #[test]
    fn group_only_owners() {
        assert_eq!(
            messages(&RULE, "FROM a:1\nCOPY --chown=:conda --chmod=775 /opt/conda /opt/conda\n"),
            ["Copied files are owned by group `conda` instead of root"]
        );
        assert_clean(&RULE, "FROM a:1\nCOPY --chown=:0 x /x\nCOPY --chown=: y /y\n");
    }

    #[test]
    fn root_plain_copies_and_builder_stages_pass() {
        assert_clean(
            &RULE,
            "FROM a:1\nCOPY --chown=root:root . /app\nCOPY --chown=0:0 x /x\nCOPY --chown=0 y /y\n",
        );
        assert_clean(&RULE, "FROM a:1\nCOPY . /app\n");
        assert_clean(
            &RULE,
            "FROM a:1 AS build\nCOPY --chown=app . /src\nFROM a:1\nCOPY --from=build /src/out /app\n",
        );
        assert_eq!(
            spans(&RULE, "FROM a:1 AS base\nCOPY --chown=app . /app\nFROM base\nRUN true\n"),
            ["--chown=app"]
        );
    }
}
