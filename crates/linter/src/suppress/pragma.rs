//! Reads one comment as a suppression pragma: plimsoll's own or a peer's. Parsing only; what the pragma
//! covers is resolved by the format's [`super::Targets`].

use plimsoll_model::Date;

/// The rules a pragma names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ids {
    All,
    /// The ids as written, each with its byte offset in the comment (`#` included).
    Listed(Vec<(String, usize)>),
    /// Every rule but these (KICS `enable=`: only the listed queries run).
    AllExcept(Vec<String>),
}

/// What a pragma covers, before it is resolved against the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    File,
    /// The next statement with its whole value (Dockerfile instruction, YAML key or list item); a comment
    /// after content on its line covers that line's statement.
    Next,
    /// The next line alone (KICS `ignore-line` in YAML; in a Dockerfile, the instruction).
    Line,
    /// The Dockerfile stage whose `FROM` follows the comment; `inside` also accepts a comment within a stage
    /// (plimsoll's own pragma; hadolint's applies only right above a `FROM`).
    Stage {
        inside: bool,
    },
    /// The resource the comment sits in: a YAML document (Checkov), the whole Dockerfile.
    Resource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pragma {
    pub ids: Ids,
    pub scope: Scope,
    /// plimsoll's own pragma (reported when unused or unknown); peers' pragmas are honoured silently.
    pub own: bool,
    /// The text after the ids (`# plimsoll: ignore[ISO001] runs as root by design`).
    pub reason: Option<String>,
    /// Trivy's `exp:YYYY-MM-DD`: the pragma stops working after that day.
    pub expires: Option<Date>,
}

impl Pragma {
    fn peer(ids: Ids, scope: Scope) -> Pragma {
        Pragma { ids, scope, own: false, reason: None, expires: None }
    }
}

/// Reads one comment (its whole text, `#` included).
pub(crate) fn parse(raw: &str) -> Option<Pragma> {
    let comment = raw.trim().trim_start_matches('#').trim();
    if let Some(rest) = strip_prefix_ci(comment, "plimsoll:") {
        return own(raw, rest);
    }
    if let Some(rest) = strip_prefix_ci(comment, "hadolint") {
        return hadolint(rest);
    }
    if let Some(rest) = strip_prefix_ci(comment, "trivy:ignore:") {
        return trivy(rest);
    }
    let compact = comment.replace(' ', "");
    if let Some(rest) = strip_prefix_ci(&compact, "checkov:skip=") {
        let id = rest.split(':').next()?.trim();
        return (!id.is_empty()).then(|| Pragma::peer(listed(&[id]), Scope::Resource));
    }
    if let Some(rest) = strip_prefix_ci(comment, "kics-scan") {
        return kics(rest.trim());
    }
    if let Some(rest) = strip_prefix_ci(comment, "dclint") {
        return dclint(rest.trim_start());
    }
    None
}

/// Whether a comment is meant as one of plimsoll's pragmas (`# plimsoll: …`), readable or not.
pub(crate) fn is_own(raw: &str) -> bool {
    strip_prefix_ci(raw.trim().trim_start_matches('#').trim(), "plimsoll:").is_some()
}

/// `plimsoll: ignore[ISO001, DF003] reason`, `ignore-file[…]`, `ignore-stage[…]`.
fn own(raw: &str, rest: &str) -> Option<Pragma> {
    let rest = rest.trim_start();
    let (scope, rest) = if let Some(r) = strip_prefix_ci(rest, "ignore-file") {
        (Scope::File, r)
    } else if let Some(r) = strip_prefix_ci(rest, "ignore-stage") {
        (Scope::Stage { inside: true }, r)
    } else {
        (Scope::Next, strip_prefix_ci(rest, "ignore")?)
    };
    let inner = rest.trim_start().strip_prefix('[')?;
    let (list, after) = inner.split_once(']')?;
    let ids: Vec<(String, usize)> = list
        .split([',', ' ', '\t'])
        .filter(|id| !id.is_empty())
        .map(|id| (id.to_string(), offset_in(raw, id)))
        .collect();
    if ids.is_empty() {
        return None;
    }
    // `ignore[X] -- reason`, `ignore[X]: reason` and `ignore[X] # reason` read the same.
    let reason = after.trim().trim_start_matches(['-', ':', '#', '—']).trim();
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    Some(Pragma { ids: Ids::Listed(ids), scope, own: true, reason, expires: None })
}

/// `hadolint ignore=DL3008,DL3015`, `global ignore=…`, `stage ignore=…`, each optionally followed by
/// `# reason` (hadolint 2.13's syntax).
fn hadolint(rest: &str) -> Option<Pragma> {
    let rest = rest.trim_start();
    let (scope, rest) = if let Some(r) = strip_prefix_ci(rest, "global") {
        (Scope::File, r.trim_start())
    } else if let Some(r) = strip_prefix_ci(rest, "stage") {
        (Scope::Stage { inside: false }, r.trim_start())
    } else {
        (Scope::Next, rest)
    };
    let list = strip_prefix_ci(rest, "ignore=")?;
    let list = list.split('#').next().unwrap_or("").split_whitespace().next().unwrap_or("");
    let ids: Vec<&str> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    (!ids.is_empty()).then(|| Pragma::peer(listed(&ids), scope))
}

/// `trivy:ignore:AVD-DS-0002`, with an expiry as `:exp:2026-12-31` or `[exp:2026-12-31]`.
fn trivy(rest: &str) -> Option<Pragma> {
    let end = rest.find([':', '[', ' ', '\t']).unwrap_or(rest.len());
    let id = &rest[..end];
    if id.is_empty() {
        return None;
    }
    let params = &rest[end..];
    let expires = params
        .find("exp:")
        .map(|at| Date::parse(params[at + 4..].get(..10).unwrap_or("")))
        // An unreadable date must not turn a temporary ignore into a permanent one.
        .map(|date| date.unwrap_or(Date { year: 0, month: 1, day: 1 }));
    Some(Pragma { expires, ..Pragma::peer(listed(&[id]), Scope::Next) })
}

/// `kics-scan ignore` (file), `ignore-line`, `ignore-block`, `disable=<uuid>,…`, `enable=<uuid>,…`.
fn kics(rest: &str) -> Option<Pragma> {
    let word = rest.split_whitespace().next().unwrap_or("");
    let split = |list: &str| -> Vec<String> {
        list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
    };
    if word.eq_ignore_ascii_case("ignore") {
        Some(Pragma::peer(Ids::All, Scope::File))
    } else if word.eq_ignore_ascii_case("ignore-line") {
        Some(Pragma::peer(Ids::All, Scope::Line))
    } else if word.eq_ignore_ascii_case("ignore-block") {
        Some(Pragma::peer(Ids::All, Scope::Next))
    } else if let Some(list) = strip_prefix_ci(word, "disable=") {
        let ids = split(list);
        (!ids.is_empty())
            .then(|| Pragma::peer(Ids::Listed(ids.into_iter().map(|i| (i, 0)).collect()), Scope::File))
    } else if let Some(list) = strip_prefix_ci(word, "enable=") {
        let ids = split(list);
        (!ids.is_empty()).then(|| Pragma::peer(Ids::AllExcept(ids), Scope::File))
    } else {
        None
    }
}

/// `dclint disable-line [rule …]` (and `disable-next-line`), `disable [rule …]`, `disable-file`; without
/// rules, every rule.
fn dclint(rest: &str) -> Option<Pragma> {
    let (scope, list) = if let Some(r) = strip_prefix_ci(rest, "disable-line") {
        (Scope::Next, r)
    } else if let Some(r) = strip_prefix_ci(rest, "disable-next-line") {
        (Scope::Next, r)
    } else if let Some(r) = strip_prefix_ci(rest, "disable-file") {
        (Scope::File, r)
    } else {
        (Scope::File, strip_prefix_ci(rest, "disable")?)
    };
    let ids: Vec<&str> = list.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).collect();
    let ids = if ids.is_empty() { Ids::All } else { listed(&ids) };
    Some(Pragma::peer(ids, scope))
}

fn listed(ids: &[&str]) -> Ids {
    Ids::Listed(ids.iter().map(|id| (id.to_string(), 0)).collect())
}

/// Where `inner`, a subslice of `outer`, starts in it.
fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize).min(outer.len())
}

pub(crate) fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Ids {
        listed(list)
    }

    fn peer(ids: Ids, scope: Scope) -> Option<Pragma> {
        Some(Pragma::peer(ids, scope))
    }

    #[test]
    fn own_pragmas_keep_id_offsets_and_reasons() {
        let raw = "# plimsoll: ignore[ISO001, IMG002] builder only";
        let pragma = parse(raw).unwrap();
        assert!(pragma.own);
        assert_eq!(pragma.scope, Scope::Next);
        assert_eq!(pragma.reason.as_deref(), Some("builder only"));
        let Ids::Listed(list) = &pragma.ids else { panic!("{pragma:?}") };
        assert_eq!(list, &[("ISO001".to_string(), 19), ("IMG002".to_string(), 27)]);
        assert_eq!(&raw[19..25], "ISO001");
        let file = parse("#plimsoll:ignore-file[sudo-in-run]").unwrap();
        assert_eq!((file.scope, file.reason), (Scope::File, None));
        let stage = parse("# plimsoll: ignore-stage[ISO001] -- build stage only").unwrap();
        assert_eq!(stage.scope, Scope::Stage { inside: true });
        assert_eq!(stage.reason.as_deref(), Some("build stage only"));
        assert_eq!(parse("# plimsoll: ignore"), None, "codes are required");
        assert_eq!(parse("# plimsoll: ignore[]"), None);
        assert_eq!(parse("# plimsoll: ignore[ISO001"), None, "unclosed list");
        assert!(is_own("#  PLIMSOLL: ingore[ISO001]") && !is_own("# plimsoll is great"));
    }

    #[test]
    fn hadolint_pragmas_with_comments_and_stages() {
        assert_eq!(
            parse("# hadolint ignore=DL3008,DL3015 # pinned upstream"),
            peer(ids(&["DL3008", "DL3015"]), Scope::Next)
        );
        assert_eq!(parse("# hadolint global ignore=DL3006"), peer(ids(&["DL3006"]), Scope::File));
        assert_eq!(
            parse("# hadolint stage ignore=DL3004  # builder only"),
            peer(ids(&["DL3004"]), Scope::Stage { inside: false })
        );
        assert_eq!(parse("# hadolint shell=powershell"), None);
    }

    #[test]
    fn trivy_pragmas_with_expiry() {
        assert_eq!(parse("#trivy:ignore:AVD-DS-0002"), peer(ids(&["AVD-DS-0002"]), Scope::Next));
        let bracket = parse("#trivy:ignore:DS-0002[exp:2026-12-31]").unwrap();
        assert_eq!(bracket.ids, ids(&["DS-0002"]));
        assert_eq!(bracket.expires, Date::new(2026, 12, 31));
        let colon = parse("# trivy:ignore:DS-0002:exp:2025-01-02").unwrap();
        assert_eq!(colon.expires, Date::new(2025, 1, 2));
        let garbled = parse("#trivy:ignore:DS-0002:exp:someday").unwrap();
        assert_eq!(
            garbled.expires,
            Some(Date { year: 0, month: 1, day: 1 }),
            "an unreadable date has expired"
        );
    }

    #[test]
    fn checkov_kics_and_dclint() {
        assert_eq!(
            parse("#checkov:skip=CKV_DOCKER_3: runs as root on purpose"),
            peer(ids(&["CKV_DOCKER_3"]), Scope::Resource)
        );
        assert_eq!(parse("# kics-scan ignore-line"), peer(Ids::All, Scope::Line));
        assert_eq!(parse("# kics-scan ignore-block"), peer(Ids::All, Scope::Next));
        assert_eq!(parse("# kics-scan ignore"), peer(Ids::All, Scope::File));
        assert_eq!(parse("# kics-scan disable=a1b2,c3d4"), peer(ids(&["a1b2", "c3d4"]), Scope::File));
        assert_eq!(parse("# kics-scan enable=a1b2"), peer(Ids::AllExcept(vec!["a1b2".into()]), Scope::File));
        assert_eq!(parse("# kics-scan whatever"), None);
        assert_eq!(
            parse("# dclint disable-line no-unbound-port-interfaces"),
            peer(ids(&["no-unbound-port-interfaces"]), Scope::Next)
        );
        assert_eq!(parse("# dclint disable-next-line"), peer(Ids::All, Scope::Next));
        assert_eq!(parse("# dclint disable-file"), peer(Ids::All, Scope::File));
        assert_eq!(
            parse("# dclint disable service-image-require-explicit-tag"),
            peer(ids(&["service-image-require-explicit-tag"]), Scope::File)
        );
        assert_eq!(parse("# just a comment"), None);
    }
}
