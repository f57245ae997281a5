//! Builds the arena [`Tree`] from saphyr-parser's event stream.
//!
//! Open collections live on an explicit stack, never on the call stack, so depth costs heap, not the 2 MiB
//! of a rayon thread. Each node records its expanded size and height (aliases included) so that alias
//! bombs and alias-built depth are cut off while building, in time linear in the input.

use plimsoll_span::{LineIndex, TextRange};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::merge::{self, MergeKey};
use crate::offsets::CharOffsets;
use crate::scan;
use crate::{
    ALIAS_BUDGET, Document, Entry, MAX_DEPTH, Node, NodeId, Problem, ProblemKind, Scalar, Style, Tree, Value,
    comments, keys,
};

/// saphyr's message for an alias without an anchor. It stops at that alias having already consumed it, so
/// reading can go on; every other error leaves the parser unusable.
const UNKNOWN_ANCHOR: &str = "while parsing node, found unknown anchor";

pub(crate) fn build(text: &str) -> Tree {
    let mut builder = Builder {
        text,
        offsets: CharOffsets::new(text),
        tree: Tree::default(),
        meta: Vec::new(),
        stack: Vec::new(),
        open_entries: Vec::new(),
        open_items: Vec::new(),
        skip: None,
        anchors: Vec::new(),
        doc: None,
        doc_count: 0,
        scalars: Vec::new(),
        cursor: 0,
        scratch: Vec::new(),
        lines: None,
    };
    let known_end = builder.run();
    builder.finish(known_end)
}

/// What bounds need about a node: how many nodes it stands for once aliases are expanded (saturating) and
/// how many collections deep it goes (0 for a scalar).
#[derive(Clone, Copy)]
struct Meta {
    size: u32,
    height: u16,
}

const LEAF: Meta = Meta { size: 1, height: 0 };

struct Builder<'t> {
    text: &'t str,
    offsets: CharOffsets<'t>,
    tree: Tree,
    /// Parallel to `tree.nodes`.
    meta: Vec<Meta>,
    stack: Vec<Frame>,
    /// The entries and items of every open collection, innermost last: one buffer that grows once for the
    /// whole file, from which a closed collection takes an exact-size `Vec`.
    open_entries: Vec<Entry>,
    open_items: Vec<NodeId>,
    /// A collection past the depth bound, whose events are read but not built.
    skip: Option<Skip>,
    /// Indexed by saphyr's anchor id (unique across the stream).
    anchors: Vec<Anchor>,
    doc: Option<DocState>,
    doc_count: u32,
    /// Where comments cannot be: the text of every scalar, in source order.
    scalars: Vec<TextRange>,
    /// End of the last token read; scans for indicators start here.
    cursor: u32,
    scratch: Vec<u32>,
    /// Built on the first duplicate key, to name its line.
    lines: Option<LineIndex>,
}

struct Frame {
    node: NodeId,
    kind: FrameKind,
    /// A flow collection with brackets, whose end is its closing bracket; block collections (and a flow
    /// sequence's implicit `[a: b]` pair) end where their last child ends.
    bracketed: bool,
    start: u32,
    end: u32,
    anchor: usize,
    size: u32,
    height: u16,
}

enum FrameKind {
    /// Its entries are `open_entries[first..]`.
    Map { first: usize, key: Option<NodeId>, merges: Vec<MergeKey> },
    /// Its items are `open_items[first..]`.
    Seq { first: usize },
}

struct Skip {
    depth: usize,
    start: u32,
    end: u32,
}

#[derive(Clone, Copy)]
enum Anchor {
    Unset,
    Node {
        doc: u32,
        node: NodeId,
    },
    /// Anchored inside a collection cut at the depth bound.
    Skipped {
        doc: u32,
    },
}

struct DocState {
    index: u32,
    start: u32,
    /// End of `---`, or the document's start when it is implicit.
    marker_end: u32,
    end: u32,
    first_node: usize,
    root: Option<NodeId>,
    alias_used: u64,
    /// The first bound problem of each kind in this document and how many more followed it: one report
    /// per document, not thousands for one alias bomb.
    alias_limit: Option<(usize, u32)>,
    depth_limit: Option<(usize, u32)>,
}

impl Builder<'_> {
    /// Feeds every event to the builder; returns how far all scalars are known (the whole text unless a
    /// syntax error stopped the parser).
    fn run(&mut self) -> u32 {
        let mut parser = Parser::new_from_str(self.text);
        let mut last_unknown = None;
        loop {
            match parser.next_event() {
                None | Some(Ok((Event::StreamEnd, _))) => return u32::MAX,
                Some(Ok((event, span))) => self.event(event, span),
                Some(Err(error)) => {
                    let index = error.marker().index();
                    if error.info() == UNKNOWN_ANCHOR && last_unknown != Some(index) {
                        last_unknown = Some(index);
                        self.unknown_alias(index);
                        continue;
                    }
                    self.syntax_error(&error);
                    return self.cursor;
                }
            }
        }
    }

    fn byte(&self, marker: saphyr_parser::Marker) -> u32 {
        self.offsets.byte(marker.index())
    }

    fn range(&self, span: Span) -> TextRange {
        let start = self.byte(span.start);
        TextRange::new(start, self.byte(span.end).max(start))
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::DocumentStart(explicit) => self.document_start(explicit, span),
            Event::DocumentEnd => self.document_end(span),
            // saphyr hands every plain scalar over in a buffer with room for 128 more bytes; the tree keeps
            // its scalars as long as the file is linted, so it keeps exact-size copies.
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(String::from(&*value), style, anchor, tag, span)
            }
            Event::Alias(id) => self.alias(id, span),
            Event::SequenceStart(anchor, tag) => self.collection_start(false, anchor, tag.is_some(), span),
            Event::MappingStart(anchor, tag) => self.collection_start(true, anchor, tag.is_some(), span),
            Event::SequenceEnd | Event::MappingEnd => self.collection_end(span),
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
        }
    }

    fn document_start(&mut self, explicit: bool, span: Span) {
        let start = self.byte(span.start);
        // An implicit start reports the first token, which is still to be read (and for a block scalar it
        // starts past the `|`); only `---` is the document's own.
        let marker_end = if explicit { self.byte(span.end) } else { start };
        if explicit {
            self.cursor = self.cursor.max(marker_end);
        }
        self.doc = Some(DocState {
            index: self.doc_count,
            start,
            marker_end,
            end: marker_end,
            first_node: self.tree.nodes.len(),
            root: None,
            alias_used: 0,
            alias_limit: None,
            depth_limit: None,
        });
        self.doc_count += 1;
    }

    fn document_end(&mut self, span: Span) {
        let Some(doc) = self.doc.take() else { return };
        let range = self.range(span);
        // An implicit end reports the next `---` (or nothing); only `...` belongs to this document.
        let end = if range.slice(self.text) == "..." { range.end } else { doc.end.max(doc.marker_end) };
        let start =
            doc.root.map_or(doc.start, |root| doc.start.min(self.tree.nodes[root as usize].range.start));
        self.cursor = self.cursor.max(end);
        self.close_bound_problems(&doc);
        self.tree.documents.push(Document { root: doc.root, range: TextRange::new(start, end.max(start)) });
    }

    fn scalar(
        &mut self,
        text: String,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<std::borrow::Cow<'_, Tag>>,
        span: Span,
    ) {
        let start = self.byte(span.start);
        let end = self.byte(span.end);
        let has_props = anchor > 0 || tag.is_some();
        let props = if has_props {
            scan::properties(self.text, start, end)
        } else {
            scan::Properties { tag: None, end: start }
        };
        let style = match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted => Style::SingleQuoted,
            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            ScalarStyle::Literal => Style::Literal,
            ScalarStyle::Folded => Style::Folded,
        };
        let range = match style {
            // Without properties the span starts at the content, past the indicator.
            Style::Literal | Style::Folded => {
                self.block_scalar_range(if has_props { props.end } else { 0 }, start, end)
            }
            Style::Plain if text.is_empty() => {
                // An empty value: saphyr points at the `:` before it, at the properties, or past a comment.
                let at = if has_props { props.end } else { start };
                let at = match self.text.as_bytes().get(at as usize) {
                    Some(b':') => at + 1,
                    _ => scan::before_comment(self.text, self.cursor, at),
                };
                TextRange::empty(at)
            }
            _ => {
                let content =
                    scan::skip_separation(self.text.as_bytes(), props.end as usize, end as usize) as u32;
                let end = match style {
                    Style::SingleQuoted | Style::DoubleQuoted => scan::quoted_end(self.text, content, end),
                    _ => end,
                };
                let range = TextRange::new(content, end);
                self.scalars.push(range);
                range
            }
        };
        if !range.is_empty() {
            self.cursor = self.cursor.max(range.end);
        }
        if let Some(skip) = &mut self.skip {
            skip.end = skip.end.max(range.end);
            self.set_anchor(anchor, Anchor::Skipped { doc: self.doc_index() });
            return;
        }
        if self.stack.is_empty() && text.is_empty() && style == Style::Plain && !has_props {
            return; // An empty document (`---` alone): no root.
        }
        let tag = self.tag_text(props.tag, tag.as_deref());
        let node = self.push_node(Value::Scalar(Scalar { text, style }), range, tag, LEAF);
        self.set_anchor(anchor, Anchor::Node { doc: self.doc_index(), node });
        self.attach(node, range.end, LEAF);
    }

    /// A block scalar's range runs from its `|`/`>` to its last non-blank character (saphyr's span starts
    /// at the content and runs through trailing line breaks). Its content lines, not its header line, hide
    /// comments.
    fn block_scalar_range(&mut self, props_end: u32, start: u32, end: u32) -> TextRange {
        let from = self.cursor.max(props_end);
        let indicator = scan::block_indicator(self.text, from, end.max(start)).unwrap_or(start);
        let header_end = scan::block_header_end(self.text, indicator);
        let content_end = scan::trim_end(self.text, header_end, end);
        let body_start = scan::line_end(self.text, indicator);
        if body_start < content_end {
            self.scalars.push(TextRange::new(body_start, content_end));
        }
        TextRange::new(indicator, content_end.max(header_end))
    }

    fn alias(&mut self, id: usize, span: Span) {
        let range = self.range(span);
        self.cursor = self.cursor.max(range.end);
        if let Some(skip) = &mut self.skip {
            skip.end = skip.end.max(range.end);
            return;
        }
        let name = range.slice(self.text);
        let doc = self.doc_index();
        let target = match self.anchors.get(id).copied().unwrap_or(Anchor::Unset) {
            Anchor::Node { doc: anchored_in, node } if anchored_in == doc => node,
            Anchor::Skipped { doc: anchored_in } if anchored_in == doc => {
                let message = format!("alias `{name}` names a node nested deeper than {MAX_DEPTH} levels");
                return self.invalid(range, ProblemKind::DepthLimit, message);
            }
            Anchor::Node { .. } | Anchor::Skipped { .. } => {
                let message = format!("alias `{name}` names an anchor of an earlier document");
                return self.invalid(range, ProblemKind::UnknownAlias, message);
            }
            // saphyr knows the anchor, so it belongs to a collection that is still open.
            Anchor::Unset => {
                let message = format!("alias `{name}` refers to a node that contains it");
                return self.invalid(range, ProblemKind::UnknownAlias, message);
            }
        };
        let meta = self.meta[target as usize];
        if self.stack.len() + usize::from(meta.height) > MAX_DEPTH {
            let message = format!("alias `{name}` nests its node deeper than {MAX_DEPTH} levels");
            return self.invalid(range, ProblemKind::DepthLimit, message);
        }
        let used = self.doc.as_ref().map_or(0, |d| d.alias_used);
        if used + u64::from(meta.size) > ALIAS_BUDGET {
            let message = format!(
                "alias `{name}` would expand this document past {ALIAS_BUDGET} nodes (an alias bomb); it is \
                 read as an invalid node"
            );
            return self.invalid(range, ProblemKind::AliasLimit, message);
        }
        if let Some(doc) = &mut self.doc {
            doc.alias_used += u64::from(meta.size);
        }
        self.attach(target, range.end, meta);
    }

    /// saphyr stopped at an alias whose anchor it does not know; it already consumed the alias.
    fn unknown_alias(&mut self, index: usize) {
        let start = self.offsets.byte(index);
        let bytes = self.text.as_bytes();
        let end = scan::property_end(bytes, start as usize, bytes.len(), false) as u32;
        let range = TextRange::new(start, end);
        self.cursor = self.cursor.max(end);
        if let Some(skip) = &mut self.skip {
            skip.end = skip.end.max(end);
            return;
        }
        let message = format!("alias `{}` names no anchor defined before it", range.slice(self.text));
        self.invalid(range, ProblemKind::UnknownAlias, message);
    }

    fn collection_start(&mut self, is_map: bool, anchor: usize, has_tag: bool, span: Span) {
        let span_start = self.byte(span.start);
        let span_end = self.byte(span.end);
        let props = if anchor > 0 || has_tag {
            scan::properties(self.text, span_start, span_end)
        } else {
            // Without properties the span may start past the first `-`.
            scan::Properties { tag: None, end: 0 }
        };
        // saphyr's span of a bracket runs on over the blanks and comment after it, so look for the bracket
        // itself: the first thing after the properties, if the span reaches past it. A block mapping's span
        // ends at its first key, which may be a flow collection, but then nothing of the span is left.
        let first = if anchor > 0 || has_tag { props.end } else { span_start };
        let first = scan::skip_separation(self.text.as_bytes(), first as usize, span_end as usize) as u32;
        let bracketed = first < span_end && matches!(self.text.as_bytes()[first as usize], b'[' | b'{');
        let start = if bracketed {
            first
        } else if is_map {
            // A block mapping's span ends at its first key; an implicit `[a: b]` pair's is empty at `a`.
            span_end
        } else {
            // saphyr's span of a block sequence ends at its first `-`, or after it and the blanks that follow.
            scan::sequence_dash(self.text, self.cursor.max(props.end), span_end).unwrap_or(span_end)
        };
        self.cursor = self.cursor.max(if is_map && !bracketed { start } else { start + 1 });

        if let Some(skip) = &mut self.skip {
            skip.depth += 1;
            self.set_anchor(anchor, Anchor::Skipped { doc: self.doc_index() });
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.skip = Some(Skip { depth: 1, start, end: start });
            self.set_anchor(anchor, Anchor::Skipped { doc: self.doc_index() });
            return;
        }
        let tag = props.tag.map(|r| r.slice(self.text).to_owned());
        let node = self.push_node(Value::Invalid, TextRange::empty(start), tag, LEAF);
        let kind = if is_map {
            FrameKind::Map { first: self.open_entries.len(), key: None, merges: Vec::new() }
        } else {
            FrameKind::Seq { first: self.open_items.len() }
        };
        self.stack.push(Frame { node, kind, bracketed, start, end: start, anchor, size: 1, height: 0 });
    }

    fn collection_end(&mut self, span: Span) {
        // A closing bracket's span may run on over a comment, and a mapping's starts at a trailing comma
        // (`{a: 1, }`); block collections end with an empty span.
        let span_start = self.byte(span.start);
        let bracket_end = if self.byte(span.end) > span_start {
            scan::closing_bracket(self.text, span_start).map(|at| at + 1)
        } else {
            None
        };
        if let Some(end) = bracket_end {
            self.cursor = self.cursor.max(end);
        }
        if let Some(skip) = &mut self.skip {
            if let Some(end) = bracket_end {
                skip.end = skip.end.max(end);
            }
            skip.depth -= 1;
            if skip.depth == 0 {
                let range = TextRange::new(skip.start, skip.end);
                self.skip = None;
                let message = format!("nesting deeper than {MAX_DEPTH} levels; the deeper part is not read");
                self.invalid(range, ProblemKind::DepthLimit, message);
            }
            return;
        }
        let Some(frame) = self.stack.pop() else { return };
        let end = match bracket_end {
            Some(end) if frame.bracketed => end,
            _ => frame.end,
        };
        let value = match frame.kind {
            FrameKind::Seq { first } => {
                let items = self.open_items[first..].to_vec();
                self.open_items.truncate(first);
                Value::Seq(items)
            }
            FrameKind::Map { first, merges, .. } => {
                let entries = self.open_entries[first..].to_vec();
                self.open_entries.truncate(first);
                self.report_duplicates(&entries);
                if merges.is_empty() {
                    Value::Map(entries)
                } else {
                    Value::Map(merge::resolve(&self.tree.nodes, entries, &merges))
                }
            }
        };
        let meta = Meta { size: frame.size, height: frame.height.saturating_add(1) };
        let node = &mut self.tree.nodes[frame.node as usize];
        node.value = value;
        node.range = TextRange::new(frame.start, end.max(frame.start));
        self.meta[frame.node as usize] = meta;
        self.set_anchor(frame.anchor, Anchor::Node { doc: self.doc_index(), node: frame.node });
        self.attach(frame.node, end, meta);
    }

    fn report_duplicates(&mut self, entries: &[Entry]) {
        let duplicates = keys::duplicates(&self.tree.nodes, entries, &mut self.scratch);
        for (first, repeat) in duplicates {
            let first = self.tree.nodes[entries[first].key as usize].range;
            let repeat = &self.tree.nodes[entries[repeat].key as usize];
            let key = match &repeat.value {
                Value::Scalar(scalar) => scalar.text.as_str(),
                _ => "",
            };
            let lines = self.lines.get_or_insert_with(|| LineIndex::new(self.text));
            let line = lines.line_of(first.start) + 1;
            let message = format!("duplicate key `{key}`, first defined on line {line}");
            let range = repeat.range;
            self.tree.problems.push(Problem { kind: ProblemKind::DuplicateKey, range, message });
        }
    }

    /// Adds a finished node to the open collection (or makes it the document's root).
    fn attach(&mut self, node: NodeId, end: u32, meta: Meta) {
        let Some(frame) = self.stack.last_mut() else {
            if let Some(doc) = &mut self.doc {
                doc.root = Some(node);
                doc.end = doc.end.max(end);
            }
            return;
        };
        frame.end = frame.end.max(end);
        frame.size = frame.size.saturating_add(meta.size);
        frame.height = frame.height.max(meta.height);
        match &mut frame.kind {
            FrameKind::Seq { .. } => self.open_items.push(node),
            FrameKind::Map { first, key, merges } => match key.take() {
                None => *key = Some(node),
                Some(key) => {
                    if is_merge_key(&self.tree, key) && merge::is_merge_source(&self.tree.nodes, node) {
                        merges.push(MergeKey { at: self.open_entries.len() - *first, value: node });
                    } else {
                        self.open_entries.push(Entry { key, value: node, merged: false });
                    }
                }
            },
        }
    }

    /// A node replaced because it broke a bound or names nothing; one problem per kind and document for
    /// the bounds.
    fn invalid(&mut self, range: TextRange, kind: ProblemKind, message: String) {
        let node = self.push_node(Value::Invalid, range, None, LEAF);
        self.attach(node, range.end, LEAF);
        let problems = &mut self.tree.problems;
        let slot = match (kind, &mut self.doc) {
            (ProblemKind::AliasLimit, Some(doc)) => Some(&mut doc.alias_limit),
            (ProblemKind::DepthLimit, Some(doc)) => Some(&mut doc.depth_limit),
            _ => None,
        };
        match slot {
            Some(Some((_, more))) => *more += 1,
            Some(slot) => {
                *slot = Some((problems.len(), 0));
                problems.push(Problem { kind, range, message });
            }
            None => problems.push(Problem { kind, range, message }),
        }
    }

    fn close_bound_problems(&mut self, doc: &DocState) {
        for (index, more) in [doc.alias_limit, doc.depth_limit].into_iter().flatten() {
            if more > 0 {
                self.tree.problems[index].message.push_str(&format!(" ({more} more in this document)"));
            }
        }
    }

    fn syntax_error(&mut self, error: &ScanError) {
        let at = self.offsets.byte(error.marker().index());
        let mut message = error.info().trim().trim_end_matches('.').to_owned();
        if let Some(first) = message.get(..1) {
            message.replace_range(..1, &first.to_lowercase());
        }
        self.tree.problems.push(Problem {
            kind: ProblemKind::Syntax,
            range: scan::char_at(self.text, at),
            message,
        });
        // The document being read is dropped: with its end missing, rules would see required keys as absent.
        if let Some(doc) = self.doc.take() {
            self.close_bound_problems(&doc);
            self.tree.nodes.truncate(doc.first_node);
            self.meta.truncate(doc.first_node);
            let first_node = NodeId::try_from(doc.first_node).unwrap_or(NodeId::MAX);
            self.tree.tags.retain(|(node, _)| *node < first_node);
        }
        self.stack.clear();
        self.open_entries.clear();
        self.open_items.clear();
        self.skip = None;
    }

    fn finish(mut self, known_end: u32) -> Tree {
        if !self.scalars.is_sorted_by_key(|r| r.start) {
            self.scalars.sort_unstable_by_key(|r| r.start);
        }
        self.tree.comments = comments::find(self.text, &self.scalars, known_end);
        self.tree.problems.sort_by_key(|p| p.range.start);
        self.tree
    }

    fn push_node(&mut self, value: Value, range: TextRange, tag: Option<String>, meta: Meta) -> NodeId {
        let id = NodeId::try_from(self.tree.nodes.len()).unwrap_or(NodeId::MAX);
        self.tree.nodes.push(Node { value, range });
        if let Some(tag) = tag {
            self.tree.tags.push((id, tag));
        }
        self.meta.push(meta);
        id
    }

    fn set_anchor(&mut self, id: usize, anchor: Anchor) {
        if id == 0 {
            return;
        }
        if self.anchors.len() <= id {
            self.anchors.resize(id + 1, Anchor::Unset);
        }
        self.anchors[id] = anchor;
    }

    fn doc_index(&self) -> u32 {
        self.doc.as_ref().map_or(u32::MAX, |d| d.index)
    }

    /// The tag as written; saphyr's resolved form only if the text does not show it.
    fn tag_text(&self, written: Option<TextRange>, tag: Option<&Tag>) -> Option<String> {
        if let Some(range) = written {
            return Some(range.slice(self.text).to_owned());
        }
        tag.map(|tag| match tag.handle.as_str() {
            "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
            handle => format!("{handle}{}", tag.suffix),
        })
    }
}

/// `<<` as a plain key (a quoted `"<<"` is an ordinary key).
fn is_merge_key(tree: &Tree, key: NodeId) -> bool {
    matches!(&tree.node(key).value, Value::Scalar(Scalar { text, style: Style::Plain }) if text == "<<")
        && tree.tag(key).is_none_or(|tag| tag == "!!merge")
}
