//! Reading Fluent files and asking their syntax trees what a message uses: which variables
//! (`{ $minutes }`), which other messages or terms it refers to, and which selectors it has.
//! The catalog, the brand overrides and the audit all ask the same questions, so they are
//! answered once here. Nothing here formats a text.

use crate::I18nError;
use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use std::collections::BTreeSet;
use std::path::Path;

/// Parses `text` (the contents of `path`); a syntax error names the file, the line and the
/// message it is in, as a person fixing it needs.
pub(crate) fn parse(path: &Path, text: String) -> Result<FluentResource, I18nError> {
    FluentResource::try_new(text).map_err(|(resource, errors)| {
        let source = resource.source();
        let detail = errors
            .iter()
            .map(|error| {
                let start = error.pos.start.min(source.len());
                let line = source
                    .get(..start)
                    .map_or(1, |before| before.matches('\n').count() + 1);
                match message_before(source, start) {
                    Some(id) => format!("line {line}, in `{id}`: {error}"),
                    None => format!("line {line}: {error}"),
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        I18nError::Syntax {
            path: path.to_owned(),
            detail,
        }
    })
}

/// The id of the last message (or term) that starts before byte `at`: the one an error at
/// `at` belongs to.
fn message_before(source: &str, at: usize) -> Option<&str> {
    source
        .get(..at)
        .unwrap_or(source)
        .lines()
        .rev()
        .find_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let body = id.strip_prefix('-').unwrap_or(id);
            let is_id = body.starts_with(|c: char| c.is_ascii_alphabetic())
                && body
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            is_id.then_some(id)
        })
}

/// A message or term of a resource, with the fields the checks need.
pub(crate) struct Entry<'r> {
    /// Its id; terms keep their leading `-`.
    pub id: String,
    /// Its value (terms always have one).
    pub value: Option<&'r ast::Pattern<&'r str>>,
    /// Its attributes.
    pub attributes: &'r [ast::Attribute<&'r str>],
}

impl Entry<'_> {
    /// Every pattern of the entry: its value and each attribute's.
    pub fn patterns(&self) -> impl Iterator<Item = &ast::Pattern<&str>> {
        self.value
            .into_iter()
            .chain(self.attributes.iter().map(|a| &a.value))
    }

    /// The names of its attributes.
    pub fn attribute_names(&self) -> BTreeSet<String> {
        self.attributes
            .iter()
            .map(|a| a.id.name.to_owned())
            .collect()
    }

    /// What the entry uses, over all its patterns.
    pub fn uses(&self) -> Uses {
        let mut uses = Uses::default();
        for pattern in self.patterns() {
            uses.pattern(pattern);
        }
        uses
    }
}

/// The messages and terms of a resource, in file order (comments skipped).
pub(crate) fn entries(resource: &FluentResource) -> impl Iterator<Item = Entry<'_>> {
    resource.entries().filter_map(|entry| match entry {
        ast::Entry::Message(m) => Some(Entry {
            id: m.id.name.to_owned(),
            value: m.value.as_ref(),
            attributes: &m.attributes,
        }),
        ast::Entry::Term(t) => Some(Entry {
            id: format!("-{}", t.id.name),
            value: Some(&t.value),
            attributes: &t.attributes,
        }),
        _ => None,
    })
}

/// A select expression on a variable: the variable and its variant keys.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Selection {
    /// The variable selected on, without `$`.
    pub variable: String,
    /// The variant keys as written (`one`, `other`, `0`).
    pub keys: BTreeSet<String>,
}

/// What a message's patterns use.
#[derive(Debug, Default)]
pub(crate) struct Uses {
    /// Variables, without `$`.
    pub variables: BTreeSet<String>,
    /// Messages and terms referred to (terms with their `-`).
    pub references: BTreeSet<String>,
    /// Select expressions on variables.
    pub selections: Vec<Selection>,
}

impl Uses {
    fn pattern(&mut self, pattern: &ast::Pattern<&str>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &ast::Expression<&str>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                if let ast::InlineExpression::VariableReference { id } = selector {
                    self.selections.push(Selection {
                        variable: id.name.to_owned(),
                        keys: variants
                            .iter()
                            .map(|v| match &v.key {
                                ast::VariantKey::Identifier { name } => (*name).to_owned(),
                                ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                            })
                            .collect(),
                    });
                }
                self.inline(selector);
                for variant in variants {
                    self.pattern(&variant.value);
                }
            }
            ast::Expression::Inline(inline) => self.inline(inline),
        }
    }

    fn inline(&mut self, inline: &ast::InlineExpression<&str>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name.to_owned());
            }
            ast::InlineExpression::MessageReference { id, .. } => {
                self.references.insert(id.name.to_owned());
            }
            ast::InlineExpression::TermReference { id, arguments, .. } => {
                self.references.insert(format!("-{}", id.name));
                if let Some(arguments) = arguments {
                    self.arguments(arguments);
                }
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                self.arguments(arguments);
            }
            ast::InlineExpression::Placeable { expression } => self.expression(expression),
            ast::InlineExpression::StringLiteral { .. }
            | ast::InlineExpression::NumberLiteral { .. } => {}
        }
    }

    fn arguments(&mut self, arguments: &ast::CallArguments<&str>) {
        for positional in &arguments.positional {
            self.inline(positional);
        }
        for named in &arguments.named {
            self.inline(&named.value);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn resource(text: &str) -> FluentResource {
        parse(Path::new("x.ftl"), text.to_owned()).unwrap()
    }

    #[test]
    fn finds_variables_references_and_selections_everywhere() {
        let r = resource(
            "-brand = Acme\n\
             wait = { -brand }: wait { $seconds ->\n    [one] a second\n   *[other] { $seconds } seconds { other-msg }\n}\n    .title = { NUMBER($max) } { $name }\n",
        );
        let entries: Vec<_> = entries(&r).collect();
        assert_eq!(entries[0].id, "-brand");
        let uses = entries[1].uses();
        assert_eq!(
            uses.variables.iter().collect::<Vec<_>>(),
            ["max", "name", "seconds"]
        );
        assert_eq!(
            uses.references.iter().collect::<Vec<_>>(),
            ["-brand", "other-msg"]
        );
        assert_eq!(
            uses.selections,
            [Selection {
                variable: "seconds".into(),
                keys: ["one".to_owned(), "other".to_owned()].into()
            }]
        );
        assert_eq!(
            entries[1].attribute_names().into_iter().collect::<Vec<_>>(),
            ["title"]
        );
    }

    #[test]
    fn a_syntax_error_names_its_line_and_message() {
        let error = parse(
            Path::new("de/journeys.ftl"),
            "good = fine\nbroken = { $n ->\n   [one] x\n}\n".to_owned(),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(
            error.starts_with("de/journeys.ftl: not valid Fluent: line "),
            "{error}"
        );
        assert!(error.contains("in `broken`"), "{error}");
    }
}
