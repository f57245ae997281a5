use plimsoll_span::TextRange;

/// Index of a node in [`Tree::nodes`].
pub type NodeId = u32;

/// Everything read from one file: its documents, the nodes they share, comments and problems.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// The documents of a multi-document stream, in order (JSON: exactly one, unless the text is empty or
    /// unreadable). A document whose root is `None` is empty (`---` alone).
    pub documents: Vec<Document>,
    /// Every comment (`# …` in YAML; JSON has none), in source order: suppressions live here.
    pub comments: Vec<Comment>,
    pub problems: Vec<Problem>,
    /// Every explicit tag (`!!str`, `!Ref`), as written, by node in increasing id order: few nodes have one,
    /// so they live here rather than in every [`Node`]. [`Tree::tag`] looks one up.
    pub tags: Vec<(NodeId, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub root: Option<NodeId>,
    /// From the document's first token (or `---`) to its last.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// The node's text: a scalar with its quotes, a block collection from its first to its last item, a
    /// flow collection with its brackets. For a node reached through an alias, the anchored node's range.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Map(Vec<Entry>),
    Seq(Vec<NodeId>),
    /// A node replaced because it broke a bound (alias expansion, depth) or could not be read; a problem
    /// says why.
    Invalid,
}

/// One `key: value` pair. Keys that came from a `<<` merge have `merged` set; an explicit key of the
/// mapping always wins over a merged one (merged entries that it overrides are dropped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
    pub merged: bool,
}

/// A scalar as written: its text after YAML's quote, escape and folding rules, and its style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub style: Style,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
    /// A JSON string.
    JsonString,
    /// A JSON number, `true`, `false` or `null`.
    JsonLiteral,
}

/// What a scalar means under the YAML 1.2 core schema (JSON: its JSON type).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// The whole comment, `#` included.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub range: TextRange,
    /// Lower-case, compiler style: what is wrong, then optionally `; ` and what to do.
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not valid YAML/JSON; the documents before it were kept.
    Syntax,
    /// A mapping repeats a key (the later one is what most readers keep).
    DuplicateKey,
    /// Alias expansion exceeded the bound (an alias bomb); the offending alias became [`Value::Invalid`].
    AliasLimit,
    /// Nesting exceeded the bound; the deeper part became [`Value::Invalid`].
    DepthLimit,
    /// An alias names no anchor defined before it.
    UnknownAlias,
}
