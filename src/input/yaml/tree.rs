//! A YAML document as a tree of spanned nodes: scalars decoded with their map back to the source
//! ([`super::scalar`]), sequences, mappings, tags (GitLab's `!reference [job, key]` is kept as a
//! tagged sequence), anchors and aliases (shared, not copied), and merge keys (`<<: *defaults`,
//! `<<: [*a, *b]`) resolved the way YAML's merge type says: the mapping's own keys win, then the
//! earlier merged mappings. Merged entries keep the spans of the nodes they came from, so a finding
//! in a job that inherits `script:` points at the lines of the anchor.
//!
//! A syntax error is a value ([`YamlError`] with the byte it is at), never a panic. Nesting and
//! alias expansion are bounded, so hostile input (a "billion laughs" of aliases) stays cheap.

use super::scalar::{self, Scalar};
use crate::source::SourceId;
use granit_parser::{Event, Parser};
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

/// How deep collections may nest.
pub const MAX_DEPTH: usize = 256;
/// How many nodes a document may hold once its aliases are expanded.
pub const MAX_EXPANDED: u64 = 1_000_000;

/// One node of a document.
#[derive(Debug)]
pub struct Node {
    pub kind: Kind,
    /// The node as written (for a scalar its whole token, for a collection from its first
    /// character to its last).
    pub span: Range<usize>,
    /// The tag's suffix when the node has a local tag, e.g. `reference` for `!reference`.
    pub tag: Option<String>,
    /// This node and every node below it, aliases expanded (for the expansion bound).
    weight: u64,
    /// How deep the tree below is, aliases expanded (for the nesting bound).
    depth: usize,
}

/// What a node holds.
#[derive(Debug)]
pub enum Kind {
    Scalar(Box<Scalar>),
    /// An empty value (`key:` with nothing after it).
    Null,
    Seq(Vec<Rc<Node>>),
    /// Entries in order, merge keys resolved; a key given twice keeps its last value, as the
    /// CI runners' YAML libraries do.
    Map(Vec<(Rc<Node>, Rc<Node>)>),
}

impl Node {
    /// A sequence or mapping node, its weight and depth counted from its children.
    fn collection(kind: Kind, span: Range<usize>, tag: Option<String>) -> Node {
        let children: Vec<&Rc<Node>> = match &kind {
            Kind::Seq(items) => items.iter().collect(),
            Kind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            _ => Vec::new(),
        };
        let weight = children
            .iter()
            .fold(1u64, |w, n| w.saturating_add(n.weight));
        let depth = 1 + children.iter().map(|n| n.depth).max().unwrap_or(0);
        Node {
            kind,
            span,
            tag,
            weight,
            depth,
        }
    }

    /// The value of a scalar node, if it is one.
    pub fn str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(&s.text.value),
            _ => None,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Rc<Node>> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of a mapping (empty for any other node).
    pub fn entries(&self) -> &[(Rc<Node>, Rc<Node>)] {
        match &self.kind {
            Kind::Map(e) => e,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for any other node).
    pub fn items(&self) -> &[Rc<Node>] {
        match &self.kind {
            Kind::Seq(i) => i,
            _ => &[],
        }
    }
}

/// Why a YAML text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The byte the problem is at.
    pub at: usize,
    pub message: String,
}

/// A collection being built.
enum Frame {
    Seq {
        items: Vec<Rc<Node>>,
        start: usize,
        anchor: usize,
        tag: Option<String>,
    },
    Map {
        entries: Vec<(Rc<Node>, Rc<Node>)>,
        key: Option<Rc<Node>>,
        start: usize,
        anchor: usize,
        tag: Option<String>,
    },
}

fn local_tag(tag: &Option<std::borrow::Cow<'_, granit_parser::Tag>>) -> Option<String> {
    tag.as_ref()
        .filter(|t| t.handle() == "!")
        .map(|t| t.suffix().to_string())
}

/// Parses every document of `src` (source `source`).
pub fn parse(src: &str, source: SourceId) -> Result<Vec<Rc<Node>>, YamlError> {
    let opts = granit_parser::options! { emit_comments: false };
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Rc<Node>> = HashMap::new();
    let mut previous_end = 0;
    for item in Parser::new_from_str_with_options(src, opts) {
        let (event, span) = item.map_err(|e| YamlError {
            at: e.marker().byte_offset().unwrap_or(0).min(src.len()),
            message: e.info(),
        })?;
        let r = span.byte_range().unwrap_or(previous_end..previous_end);
        let is_seq = matches!(event, Event::SequenceStart(..));
        let node = match event {
            Event::Scalar(value, style, anchor, tag) => {
                let node = if r.is_empty() && matches!(value.as_ref(), "~" | "") {
                    Node {
                        kind: Kind::Null,
                        span: r.clone(),
                        tag: local_tag(&tag),
                        weight: 1,
                        depth: 1,
                    }
                } else {
                    let style = scalar::Style::of(style);
                    let s = scalar::decode(src, source, style, r.start, r.end, previous_end)
                        .map_err(|message| YamlError {
                            at: r.start,
                            message,
                        })?;
                    Node {
                        span: s.token.clone(),
                        kind: Kind::Scalar(Box::new(s)),
                        tag: local_tag(&tag),
                        weight: 1,
                        depth: 1,
                    }
                };
                Some((Rc::new(node), anchor))
            }
            Event::Alias(id) => {
                let node = anchors.get(&id).cloned().ok_or_else(|| YamlError {
                    at: r.start,
                    message: "an alias to an anchor that is not defined before it".into(),
                })?;
                Some((node, 0))
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        at: r.start,
                        message: format!("collections nested deeper than {MAX_DEPTH}"),
                    });
                }
                let tag = local_tag(&tag);
                stack.push(if is_seq {
                    Frame::Seq {
                        items: Vec::new(),
                        start: r.start,
                        anchor,
                        tag,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        start: r.start,
                        anchor,
                        tag,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    start,
                    anchor,
                    tag,
                }) => Some((
                    Rc::new(Node::collection(
                        Kind::Seq(items),
                        start..r.end.max(start),
                        tag,
                    )),
                    anchor,
                )),
                Some(Frame::Map {
                    entries,
                    start,
                    anchor,
                    tag,
                    ..
                }) => {
                    let kind = Kind::Map(merge(entries));
                    Some((
                        Rc::new(Node::collection(kind, start..r.end.max(start), tag)),
                        anchor,
                    ))
                }
                None => None,
            },
            _ => None,
        };
        if !r.is_empty() {
            previous_end = r.end;
        }
        let Some((node, anchor)) = node else { continue };
        if node.depth > MAX_DEPTH {
            return Err(YamlError {
                at: r.start,
                message: format!("collections nested deeper than {MAX_DEPTH}"),
            });
        }
        if node.weight > MAX_EXPANDED {
            return Err(YamlError {
                at: r.start,
                message: format!(
                    "aliases expand to more than {MAX_EXPANDED} nodes; stslint does not read further"
                ),
            });
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
            None => {
                docs.push(node);
                anchors.clear();
            }
        }
    }
    Ok(docs)
}

/// Resolves `<<` merge keys: the mapping's own entries win, then earlier merged mappings over
/// later ones; a key given twice keeps its last value, in the place of its first.
fn merge(entries: Vec<(Rc<Node>, Rc<Node>)>) -> Vec<(Rc<Node>, Rc<Node>)> {
    let is_merge = |k: &Rc<Node>| matches!(&k.kind, Kind::Scalar(s) if s.text.value == "<<" && s.style == scalar::Style::Plain);
    let mut own: Vec<(Rc<Node>, Rc<Node>)> = Vec::new();
    let mut sources: Vec<Rc<Node>> = Vec::new();
    for (k, v) in entries {
        if is_merge(&k) {
            match &v.kind {
                Kind::Map(_) => sources.push(v),
                Kind::Seq(items) => sources.extend(
                    items
                        .iter()
                        .filter(|i| matches!(i.kind, Kind::Map(_)))
                        .cloned(),
                ),
                _ => own.push((k, v)),
            }
        } else {
            own.push((k, v));
        }
    }
    let key_of = |k: &Rc<Node>| k.str().map(str::to_string);
    let mut out: Vec<(Rc<Node>, Rc<Node>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Merged entries first (earlier sources win), then the mapping's own (which override).
    for src in &sources {
        for (k, v) in src.entries() {
            match key_of(k) {
                Some(name) if index.contains_key(&name) => {}
                Some(name) => {
                    index.insert(name, out.len());
                    out.push((k.clone(), v.clone()));
                }
                None => out.push((k.clone(), v.clone())),
            }
        }
    }
    for (k, v) in own {
        match key_of(&k).and_then(|name| index.get(&name).copied()) {
            Some(i) => out[i] = (k, v),
            None => {
                if let Some(name) = key_of(&k) {
                    index.insert(name, out.len());
                }
                out.push((k, v));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> Rc<Node> {
        parse(src, 0).unwrap().remove(0)
    }

    #[test]
    fn gitlab_defaults_merge_and_reference() {
        let src = ".defaults: &defaults\n  image: alpine\n  script:\n    - echo base\njob:\n  <<: *defaults\n  image: debian\n  after_script: !reference [.defaults, script]\n";
        let d = doc(src);
        let job = d.get("job").unwrap();
        assert_eq!(
            job.get("image").unwrap().str(),
            Some("debian"),
            "own keys win"
        );
        let script = job.get("script").unwrap();
        let line = &script.items()[0];
        assert_eq!(line.str(), Some("echo base"));
        assert_eq!(
            &src[line.span.clone()],
            "echo base",
            "a merged value keeps its own span"
        );
        assert!(line.span.start < src.find("job:").unwrap());
        let after = job.get("after_script").unwrap();
        assert_eq!(after.tag.as_deref(), Some("reference"));
        assert_eq!(after.items().len(), 2);
        assert!(job.get("<<").is_none());
    }

    #[test]
    fn earlier_merge_sources_win_and_aliases_are_shared() {
        let d = doc("a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\nd: *a\n");
        let c = d.get("c").unwrap();
        assert_eq!(c.get("x").unwrap().str(), Some("1"));
        assert_eq!(c.get("z").unwrap().str(), Some("2"));
        assert!(Rc::ptr_eq(d.get("a").unwrap(), d.get("d").unwrap()));
    }

    #[test]
    fn nulls_documents_and_duplicate_keys() {
        let docs = parse("a:\nb: 1\nb: 2\n---\n- x\n", 0).unwrap();
        assert_eq!(docs.len(), 2);
        assert!(matches!(docs[0].get("a").unwrap().kind, Kind::Null));
        assert_eq!(docs[0].get("b").unwrap().str(), Some("2"));
    }

    #[test]
    fn errors_are_values_with_a_place() {
        let src = "a: [1, 2\nb: 3\n";
        let e = parse(src, 0).unwrap_err();
        assert!(e.at <= src.len() && !e.message.is_empty(), "{e:?}");
        assert!(parse("a: *nope\n", 0).is_err());
        assert!(parse("a:\n\tb: 1\n", 0).is_err(), "a tab as indentation");
    }

    #[test]
    fn hostile_nesting_and_aliases_are_bounded() {
        let deep = "[".repeat(10_000);
        assert!(parse(&deep, 0).is_err());
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let (p, n) = ((b'a' + i) as char, (b'a' + i + 1) as char);
            laughs.push_str(&format!(
                "{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            ));
        }
        let e = parse(&laughs, 0).unwrap_err();
        assert!(e.message.contains("aliases expand"), "{e:?}");
        // Nesting through aliases, each defined at the top level, is bounded too.
        let mut chain = String::from("n0: &n0 [x]\n");
        for i in 1..2000 {
            chain.push_str(&format!("n{i}: &n{i} [*n{}]\n", i - 1));
        }
        let e = parse(&chain, 0).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e:?}");
    }
}
