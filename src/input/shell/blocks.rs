//! Where each command of a script sits, as the lexer reads it: the blocks around it (each branch
//! of an `if` or `case`, each part of a loop, function bodies, brace groups, subshells, here-document
//! scripts) and whether it surely runs when its block does. [`super::assign`] and
//! [`super::files`] read these places to know which values are certain.

use super::setters::{is_leading, Place};
use crate::source::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Block {
    If,
    Case,
    Loop,
    Function,
    Group,
    Subshell,
    /// A here-document a shell reads as its script: a child shell.
    Child,
}

/// The blocks the lexer is in, and how the current command runs.
#[derive(Debug, Default)]
pub(super) struct Blocks {
    stack: Vec<u32>,
    pub(super) kinds: Vec<Block>,
    andor: bool,
    pipe: bool,
    /// Array assignments (`name=(...)`): the number of commands before each, its name, its place.
    pub(super) arrays: Vec<(usize, String, Place)>,
}

impl Blocks {
    fn push(&mut self, kind: Block) {
        self.stack.push(self.kinds.len() as u32);
        self.kinds.push(kind);
    }

    fn top(&self) -> Option<Block> {
        self.stack.last().map(|&id| self.kinds[id as usize])
    }

    fn pop_if(&mut self, kinds: &[Block]) {
        if self.top().is_some_and(|k| kinds.contains(&k)) {
            self.stack.pop();
        }
    }

    /// A new branch or part of the block on top (`then`, `else`, `do`, `;;`).
    fn next_part(&mut self, kind: Block) {
        if self.top() == Some(kind) {
            self.stack.pop();
            self.push(kind);
        }
    }

    /// The lexer pushed a word onto the command `words`; `function` when a function's name and
    /// `()` came just before.
    pub(super) fn word(&mut self, words: &[Text], function: bool) {
        let Some((w, before)) = words.split_last() else {
            return;
        };
        let fn_head = matches!(before, [f, _] if f.is_static() && f.value == "function");
        if !w.is_static() || !(fn_head || before.iter().all(is_leading)) {
            return;
        }
        match w.value.as_str() {
            "if" => self.push(Block::If),
            "case" => self.push(Block::Case),
            "while" | "until" | "for" | "select" => self.push(Block::Loop),
            "then" | "elif" | "else" => self.next_part(Block::If),
            "do" => self.next_part(Block::Loop),
            "fi" => self.pop_if(&[Block::If]),
            "esac" => self.pop_if(&[Block::Case]),
            "done" => self.pop_if(&[Block::Loop]),
            "{" if function || fn_head => self.push(Block::Function),
            "{" => self.push(Block::Group),
            "}" => self.pop_if(&[Block::Function, Block::Group]),
            _ => {}
        }
    }

    /// `&&` or `||`: the next command may not run.
    pub(super) fn and_or(&mut self) {
        self.andor = true;
        self.pipe = false;
    }

    /// `|`: the next command runs in a pipeline.
    pub(super) fn pipe(&mut self) {
        self.pipe = true;
        self.andor = false;
    }

    /// `;`, `&` or a newline after a command: the next one runs.
    pub(super) fn plain(&mut self) {
        self.andor = false;
        self.pipe = false;
    }

    /// `;;` (or `;&`): the next branch of a `case`.
    pub(super) fn case_branch(&mut self) {
        self.next_part(Block::Case);
    }

    pub(super) fn open_paren(&mut self) {
        self.push(Block::Subshell);
    }

    pub(super) fn close_paren(&mut self) {
        self.pop_if(&[Block::Subshell]);
    }

    /// Enters `$(...)`, a backquote or a here-document script; the result goes to [`Blocks::leave`].
    pub(super) fn enter(&mut self, child: bool) -> (usize, bool, bool) {
        let saved = (self.stack.len(), self.andor, self.pipe);
        self.push(if child { Block::Child } else { Block::Subshell });
        self.plain();
        saved
    }

    pub(super) fn leave(&mut self, (len, andor, pipe): (usize, bool, bool)) {
        self.stack.truncate(len);
        (self.andor, self.pipe) = (andor, pipe);
    }

    pub(super) fn place(&self) -> Place {
        Place {
            path: self.stack.clone(),
            partial: self.andor || self.pipe,
            foreign: false,
        }
    }

    /// `name=(...)` before the command numbered `at`.
    pub(super) fn array(&mut self, at: usize, name: String) {
        let place = self.place();
        self.arrays.push((at, name, place));
    }
}
