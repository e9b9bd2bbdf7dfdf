//! A shell-aware splitter: turns a command line into the simple commands it runs (words after
//! quote removal), including those inside `$(...)`, backquotes, `( )` subshells and `<(...)`.
//! It never expands anything; a word that would be expanded is marked not literal.
//!
//! Works on bytes: every character with a syntactic meaning is ASCII, so words are cut only at
//! ASCII boundaries and stay valid UTF-8 (the JS reference does the same on UTF-16 code units).

/// How deep substitutions, subshells and re-parsed strings (`sh -c`, `eval`) may nest.
pub const MAX_DEPTH: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    UnterminatedSingleQuote,
    UnterminatedDoubleQuote,
    UnterminatedSubstitution,
    UnterminatedBackquote,
    UnbalancedParenthesis,
    TrailingBackslash,
    TooDeep,
}

impl ParseError {
    pub fn reason(&self) -> String {
        let why = match self {
            ParseError::UnterminatedSingleQuote => "unterminated single quote",
            ParseError::UnterminatedDoubleQuote => "unterminated double quote",
            ParseError::UnterminatedSubstitution => "unterminated command substitution",
            ParseError::UnterminatedBackquote => "unterminated backquote",
            ParseError::UnbalancedParenthesis => "unbalanced parenthesis",
            ParseError::TrailingBackslash => "trailing backslash",
            ParseError::TooDeep => "nested too deeply",
        };
        format!("unparsable command: {why}")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// After quote removal.
    pub text: String,
    /// As written.
    pub raw: String,
    /// No expansion, substitution or glob would change it.
    pub literal: bool,
    /// `NAME=value`, the name unquoted.
    pub assignment: bool,
}

/// A simple command's words, redirections left out.
pub type SimpleCommand = Vec<Word>;

/// Every simple command of `source`, those of a substitution before the command holding it.
pub fn parse(source: &str, depth: usize) -> Result<Vec<SimpleCommand>, ParseError> {
    let mut out = Vec::new();
    parse_into(source, depth, &mut out)?;
    Ok(out)
}

pub fn parse_into(
    source: &str,
    depth: usize,
    out: &mut Vec<SimpleCommand>,
) -> Result<(), ParseError> {
    if depth > MAX_DEPTH {
        return Err(ParseError::TooDeep);
    }
    let mut parser = Parser {
        src: source.as_bytes(),
        pos: 0,
        depth,
        out,
    };
    parser.list(None)
}

/// What closes a nested list, and the error when the input ends first.
#[derive(Clone, Copy)]
enum Closer {
    Substitution,
    Subshell,
}

struct Parser<'a, 'o> {
    src: &'a [u8],
    pos: usize,
    depth: usize,
    out: &'o mut Vec<SimpleCommand>,
}

fn ends_word(byte: u8) -> bool {
    matches!(
        byte,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

fn is_assignment(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let Some(eq) = bytes.iter().position(|&b| b == b'=') else {
        return false;
    };
    eq > 0
        && (bytes[0].is_ascii_alphabetic() || bytes[0] == b'_')
        && bytes[..eq]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Parser<'_, '_> {
    fn peek(&self, offset: usize) -> Option<u8> {
        self.src.get(self.pos + offset).copied()
    }

    fn nested(&mut self, closer: Closer) -> Result<(), ParseError> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        self.depth += 1;
        let result = self.list(Some(closer));
        self.depth -= 1;
        result
    }

    fn list(&mut self, closer: Option<Closer>) -> Result<(), ParseError> {
        let mut words: SimpleCommand = Vec::new();
        let mut redirect_target = false;
        loop {
            self.skip_blanks();
            let Some(byte) = self.peek(0) else {
                return match closer {
                    None => {
                        self.finish(&mut words);
                        Ok(())
                    }
                    Some(Closer::Substitution) => Err(ParseError::UnterminatedSubstitution),
                    Some(Closer::Subshell) => Err(ParseError::UnbalancedParenthesis),
                };
            };
            match byte {
                b'\n' | b';' | b'|' => {
                    self.pos += 1;
                    self.finish(&mut words);
                    redirect_target = false;
                }
                b'&' if self.peek(1) != Some(b'>') => {
                    self.pos += 1;
                    self.finish(&mut words);
                    redirect_target = false;
                }
                b')' => {
                    if closer.is_none() {
                        return Err(ParseError::UnbalancedParenthesis);
                    }
                    self.pos += 1;
                    self.finish(&mut words);
                    return Ok(());
                }
                b'(' => {
                    self.pos += 1;
                    self.nested(Closer::Subshell)?;
                }
                b'<' | b'>' | b'&' => {
                    if matches!(byte, b'<' | b'>') && self.peek(1) == Some(b'(') {
                        self.pos += 2;
                        self.nested(Closer::Substitution)?;
                    } else {
                        self.redirection_operator();
                        redirect_target = true;
                    }
                }
                b'#' => {
                    while self.peek(0).is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => {
                    let word = self.word()?;
                    let is_fd = matches!(self.peek(0), Some(b'<' | b'>'))
                        && !word.raw.is_empty()
                        && word.raw.bytes().all(|b| b.is_ascii_digit());
                    if is_fd {
                        continue;
                    }
                    if redirect_target {
                        redirect_target = false;
                    } else {
                        words.push(word);
                    }
                }
            }
        }
    }

    /// Blanks and backslash-newline continuations.
    fn skip_blanks(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b' ' | b'\t'), _) => self.pos += 1,
                (Some(b'\\'), Some(b'\n')) => self.pos += 2,
                _ => return,
            }
        }
    }

    /// `>`, `>>`, `<`, `<<`, `<<<`, `<<-`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`.
    fn redirection_operator(&mut self) {
        let heredoc = self.peek(0) == Some(b'<') && self.peek(1) == Some(b'<');
        while matches!(self.peek(0), Some(b'<' | b'>' | b'&' | b'|')) {
            self.pos += 1;
        }
        if heredoc && self.peek(0) == Some(b'-') {
            self.pos += 1;
        }
    }

    fn finish(&mut self, words: &mut SimpleCommand) {
        if !words.is_empty() {
            self.out.push(std::mem::take(words));
        }
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let start = self.pos;
        let mut text: Vec<u8> = Vec::new();
        let mut literal = true;
        let mut open_bracket = false;
        while let Some(byte) = self.peek(0) {
            if ends_word(byte) {
                break;
            }
            match byte {
                b'\'' => {
                    let content_start = self.pos + 1;
                    let Some(len) = self.src[content_start..].iter().position(|&b| b == b'\'')
                    else {
                        return Err(ParseError::UnterminatedSingleQuote);
                    };
                    text.extend_from_slice(&self.src[content_start..content_start + len]);
                    self.pos = content_start + len + 1;
                }
                b'"' => self.double_quoted(&mut text, &mut literal)?,
                b'\\' => match self.peek(1) {
                    None => return Err(ParseError::TrailingBackslash),
                    Some(b'\n') => self.pos += 2,
                    Some(next) => {
                        text.push(next);
                        self.pos += 2;
                    }
                },
                b'`' => {
                    self.backquote()?;
                    literal = false;
                }
                b'$' => self.dollar(&mut text, &mut literal, false)?,
                b'*' | b'?' => {
                    literal = false;
                    text.push(byte);
                    self.pos += 1;
                }
                // A bracket expression needs its `]` in the same word: a lone `[` is the test command.
                b'[' | b']' => {
                    if byte == b'[' {
                        open_bracket = true;
                    } else if open_bracket {
                        literal = false;
                    }
                    text.push(byte);
                    self.pos += 1;
                }
                _ => {
                    text.push(byte);
                    self.pos += 1;
                }
            }
        }
        let raw = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
        Ok(Word {
            text: String::from_utf8_lossy(&text).into_owned(),
            assignment: is_assignment(&raw),
            raw,
            literal,
        })
    }

    fn double_quoted(&mut self, text: &mut Vec<u8>, literal: &mut bool) -> Result<(), ParseError> {
        self.pos += 1;
        loop {
            let Some(byte) = self.peek(0) else {
                return Err(ParseError::UnterminatedDoubleQuote);
            };
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => match self.peek(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(next @ (b'$' | b'`' | b'"' | b'\\')) => {
                        text.push(next);
                        self.pos += 2;
                    }
                    _ => {
                        text.push(b'\\');
                        self.pos += 1;
                    }
                },
                b'`' => {
                    self.backquote()?;
                    *literal = false;
                }
                b'$' => self.dollar(text, literal, true)?,
                _ => {
                    text.push(byte);
                    self.pos += 1;
                }
            }
        }
    }

    /// At a `$`: `$(...)`, `$'...'` (outside double quotes), or a parameter expansion.
    fn dollar(
        &mut self,
        text: &mut Vec<u8>,
        literal: &mut bool,
        in_double_quotes: bool,
    ) -> Result<(), ParseError> {
        *literal = false;
        match self.peek(1) {
            Some(b'(') => {
                self.pos += 2;
                self.nested(Closer::Substitution)
            }
            Some(b'\'') if !in_double_quotes => {
                let mut at = self.pos + 2;
                loop {
                    match self.src.get(at) {
                        None => return Err(ParseError::UnterminatedSingleQuote),
                        Some(b'\\') => at += 2,
                        Some(b'\'') => break,
                        Some(_) => at += 1,
                    }
                }
                let end = at.min(self.src.len());
                text.extend_from_slice(&self.src[self.pos + 2..end]);
                self.pos = end + 1;
                Ok(())
            }
            _ => {
                text.push(b'$');
                self.pos += 1;
                Ok(())
            }
        }
    }

    /// At a backquote: its content, unescaped, is parsed as a command line of its own.
    fn backquote(&mut self) -> Result<(), ParseError> {
        let mut content: Vec<u8> = Vec::new();
        let mut at = self.pos + 1;
        loop {
            match self.src.get(at) {
                None => return Err(ParseError::UnterminatedBackquote),
                Some(b'`') => break,
                Some(b'\\') => match self.src.get(at + 1) {
                    Some(&next @ (b'`' | b'\\' | b'$')) => {
                        content.push(next);
                        at += 2;
                    }
                    _ => {
                        content.push(b'\\');
                        at += 1;
                    }
                },
                Some(&byte) => {
                    content.push(byte);
                    at += 1;
                }
            }
        }
        self.pos = at + 1;
        let content = String::from_utf8_lossy(&content).into_owned();
        parse_into(&content, self.depth + 1, self.out)
    }
}
