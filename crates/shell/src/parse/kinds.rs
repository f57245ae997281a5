//! Node kinds and field ids of tree-sitter-bash, resolved once into tables.
//!
//! The walk dispatches on every node; a table indexed by `kind_id` is both faster than comparing kind names
//! and robust to grammar aliases (several ids can share one name, and all of them map to the same kind).

use std::num::NonZeroU16;
use std::sync::OnceLock;

use tree_sitter::{Language, Node};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Other,
    // Statements that become a `Command`.
    Command,
    Declaration,
    Unset,
    Test,
    Assignment,
    Assignments,
    Redirected,
    // Statement containers.
    Pipeline,
    List,
    Program,
    Subshell,
    Compound,
    Block,
    If,
    While,
    For,
    CFor,
    Case,
    Function,
    Negated,
    // Substitutions and expansions inside words.
    CommandSubstitution,
    ProcessSubstitution,
    Expansion,
    // Expression containers of `[ … ]` / `[[ … ]]`.
    TestExpression,
    // Redirections.
    FileRedirect,
    HeredocRedirect,
    HerestringRedirect,
    HeredocStart,
    HeredocBody,
    HeredocEnd,
    Comment,
}

pub(super) struct Grammar {
    pub language: Language,
    kinds: Vec<Kind>,
    pub name: Option<NonZeroU16>,
    pub argument: Option<NonZeroU16>,
    pub redirect: Option<NonZeroU16>,
    pub body: Option<NonZeroU16>,
    pub value: Option<NonZeroU16>,
    pub descriptor: Option<NonZeroU16>,
    pub operator: Option<NonZeroU16>,
    pub right: Option<NonZeroU16>,
}

impl Grammar {
    /// The kind of a node; ERROR nodes are `Other` (callers test `is_error()` first).
    pub fn kind(&self, node: Node) -> Kind {
        self.kinds.get(usize::from(node.kind_id())).copied().unwrap_or(Kind::Other)
    }
}

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let language: Language = tree_sitter_bash::LANGUAGE.into();
        let count = language.node_kind_count();
        let kinds = (0..count)
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                if !language.node_kind_is_named(id) {
                    return Kind::Other;
                }
                language.node_kind_for_id(id).map_or(Kind::Other, kind_of_name)
            })
            .collect();
        let field = |name: &str| language.field_id_for_name(name);
        Grammar {
            kinds,
            name: field("name"),
            argument: field("argument"),
            redirect: field("redirect"),
            body: field("body"),
            value: field("value"),
            descriptor: field("descriptor"),
            operator: field("operator"),
            right: field("right"),
            language,
        }
    })
}

fn kind_of_name(name: &str) -> Kind {
    match name {
        "command" => Kind::Command,
        "declaration_command" => Kind::Declaration,
        "unset_command" => Kind::Unset,
        "test_command" => Kind::Test,
        "variable_assignment" => Kind::Assignment,
        "variable_assignments" => Kind::Assignments,
        "redirected_statement" => Kind::Redirected,
        "pipeline" => Kind::Pipeline,
        "list" => Kind::List,
        "program" => Kind::Program,
        "subshell" => Kind::Subshell,
        "compound_statement" => Kind::Compound,
        "do_group" | "else_clause" | "elif_clause" | "case_item" => Kind::Block,
        "if_statement" => Kind::If,
        "while_statement" => Kind::While,
        "for_statement" => Kind::For,
        "c_style_for_statement" => Kind::CFor,
        "case_statement" => Kind::Case,
        "function_definition" => Kind::Function,
        "negated_command" => Kind::Negated,
        "command_substitution" => Kind::CommandSubstitution,
        "process_substitution" => Kind::ProcessSubstitution,
        "simple_expansion" | "expansion" | "arithmetic_expansion" => Kind::Expansion,
        "binary_expression"
        | "unary_expression"
        | "parenthesized_expression"
        | "ternary_expression"
        | "postfix_expression" => Kind::TestExpression,
        "file_redirect" => Kind::FileRedirect,
        "heredoc_redirect" => Kind::HeredocRedirect,
        "herestring_redirect" => Kind::HerestringRedirect,
        "heredoc_start" => Kind::HeredocStart,
        "heredoc_body" => Kind::HeredocBody,
        "heredoc_end" => Kind::HeredocEnd,
        "comment" => Kind::Comment,
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_the_walk_relies_on_exists_in_the_grammar() {
        let g = grammar();
        for kind in [
            Kind::Command,
            Kind::Declaration,
            Kind::Unset,
            Kind::Test,
            Kind::Assignment,
            Kind::Assignments,
            Kind::Redirected,
            Kind::Pipeline,
            Kind::List,
            Kind::Program,
            Kind::Subshell,
            Kind::Compound,
            Kind::Block,
            Kind::If,
            Kind::While,
            Kind::For,
            Kind::CFor,
            Kind::Case,
            Kind::Function,
            Kind::Negated,
            Kind::CommandSubstitution,
            Kind::ProcessSubstitution,
            Kind::Expansion,
            Kind::TestExpression,
            Kind::FileRedirect,
            Kind::HeredocRedirect,
            Kind::HerestringRedirect,
            Kind::HeredocStart,
            Kind::HeredocBody,
            Kind::HeredocEnd,
            Kind::Comment,
        ] {
            assert!(g.kinds.contains(&kind), "{kind:?} missing from the grammar");
        }
        for field in [g.name, g.argument, g.redirect, g.body, g.value, g.descriptor, g.operator, g.right] {
            assert!(field.is_some());
        }
    }
}
