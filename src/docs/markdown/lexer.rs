//! A small table-driven highlighter for the languages docs pages show most
//! (shell, Python, Go, JavaScript/TypeScript, the C family, Rust, Java,
//! SQL, Dockerfile, TOML/INI): keywords, strings, numbers, comments and
//! function names in one linear scan. syntect's grammars are far more
//! precise but cost milliseconds per block, which would make highlighting
//! most of a docs build's time; languages without a table here still go to
//! syntect ([`crate::site::highlight`]).
//!
//! The classes are those of the theme's code palette (`.hl-code` in
//! portalgen.css): `hl-keyword`, `hl-s`, `hl-n`, `hl-c`, `hl-m`, and
//! `hl-entity hl-name hl-function` for a name followed by `(`.

use crate::site::highlight::escape_html;

struct Lang {
    keywords: &'static [&'static str],
    constants: &'static [&'static str],
    line_comment: &'static [&'static str],
    block_comment: Option<(&'static str, &'static str)>,
    quotes: &'static [u8],
    /// Python's `"""…"""` and `'''…'''`.
    triple_quotes: bool,
    /// SQL keywords in any case.
    case_insensitive: bool,
    /// Shell: `$VAR` / `${…}` are variables; `#` starts a comment only at a word start.
    shell: bool,
}

const C_LIKE_COMMENT: &[&str] = &["//"];

const PYTHON: Lang = Lang {
    keywords: &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
        "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
        "raise", "return", "try", "while", "with", "yield", "match", "case", "self", "print",
    ],
    constants: &["True", "False", "None"],
    line_comment: &["#"],
    block_comment: None,
    quotes: b"\"'",
    triple_quotes: true,
    case_insensitive: false,
    shell: false,
};

const GO: Lang = Lang {
    keywords: &[
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
        "string",
        "int",
        "int64",
        "int32",
        "uint",
        "uint64",
        "byte",
        "rune",
        "bool",
        "error",
        "float64",
        "any",
    ],
    constants: &["true", "false", "nil", "iota"],
    line_comment: C_LIKE_COMMENT,
    block_comment: Some(("/*", "*/")),
    quotes: b"\"'`",
    triple_quotes: false,
    case_insensitive: false,
    shell: false,
};

const JS: Lang = Lang {
    keywords: &[
        "async",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "export",
        "extends",
        "finally",
        "for",
        "from",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "let",
        "new",
        "of",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "interface",
        "type",
        "enum",
        "implements",
        "private",
        "public",
        "protected",
        "readonly",
        "as",
        "declare",
        "namespace",
        "abstract",
        "keyof",
        "string",
        "number",
        "boolean",
        "any",
        "unknown",
        "never",
    ],
    constants: &["true", "false", "null", "undefined", "NaN", "Infinity"],
    line_comment: C_LIKE_COMMENT,
    block_comment: Some(("/*", "*/")),
    quotes: b"\"'`",
    triple_quotes: false,
    case_insensitive: false,
    shell: false,
};

const C_FAMILY: Lang = Lang {
    keywords: &[
        "abstract",
        "auto",
        "bool",
        "break",
        "case",
        "catch",
        "char",
        "class",
        "const",
        "continue",
        "default",
        "delete",
        "do",
        "double",
        "else",
        "enum",
        "extends",
        "extern",
        "final",
        "float",
        "for",
        "fun",
        "goto",
        "if",
        "implements",
        "import",
        "include",
        "define",
        "inline",
        "int",
        "interface",
        "long",
        "namespace",
        "new",
        "override",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "short",
        "signed",
        "sizeof",
        "static",
        "struct",
        "super",
        "switch",
        "template",
        "this",
        "throw",
        "throws",
        "try",
        "typedef",
        "typename",
        "union",
        "unsigned",
        "using",
        "val",
        "var",
        "virtual",
        "void",
        "volatile",
        "while",
        "fn",
        "let",
        "mut",
        "impl",
        "trait",
        "pub",
        "use",
        "mod",
        "match",
        "loop",
        "where",
        "crate",
        "self",
        "Self",
        "dyn",
        "move",
        "ref",
        "async",
        "await",
        "string",
        "object",
        "when",
        "is",
        "in",
        "as",
        "func",
        "guard",
        "struct",
        "protocol",
        "extension",
        "lateinit",
        "data",
        "sealed",
    ],
    constants: &["true", "false", "null", "nullptr", "NULL", "None", "Some", "Ok", "Err", "nil"],
    line_comment: C_LIKE_COMMENT,
    block_comment: Some(("/*", "*/")),
    quotes: b"\"'",
    triple_quotes: false,
    case_insensitive: false,
    shell: false,
};

const SHELL: Lang = Lang {
    keywords: &[
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function",
        "return", "export", "local", "readonly", "declare", "source", "alias", "unset", "shift", "exit", "set",
    ],
    constants: &["true", "false"],
    line_comment: &["#"],
    block_comment: None,
    quotes: b"\"'",
    triple_quotes: false,
    case_insensitive: false,
    shell: true,
};

const SQL: Lang = Lang {
    keywords: &[
        "select",
        "from",
        "where",
        "and",
        "or",
        "not",
        "insert",
        "into",
        "values",
        "update",
        "set",
        "delete",
        "create",
        "table",
        "drop",
        "alter",
        "add",
        "index",
        "on",
        "join",
        "left",
        "right",
        "inner",
        "outer",
        "group",
        "by",
        "order",
        "having",
        "limit",
        "offset",
        "as",
        "distinct",
        "union",
        "all",
        "primary",
        "key",
        "foreign",
        "references",
        "default",
        "exists",
        "if",
        "in",
        "is",
        "like",
        "between",
        "case",
        "when",
        "then",
        "else",
        "end",
        "grant",
        "to",
        "with",
        "database",
        "schema",
        "view",
        "varchar",
        "integer",
        "int",
        "text",
        "boolean",
        "timestamp",
        "serial",
        "unique",
        "constraint",
        "cascade",
        "returning",
        "begin",
        "commit",
        "rollback",
    ],
    constants: &["null", "true", "false"],
    line_comment: &["--"],
    block_comment: Some(("/*", "*/")),
    quotes: b"'\"",
    triple_quotes: false,
    case_insensitive: true,
    shell: false,
};

const DOCKERFILE: Lang = Lang {
    keywords: &[
        "FROM",
        "RUN",
        "CMD",
        "LABEL",
        "EXPOSE",
        "ENV",
        "ADD",
        "COPY",
        "ENTRYPOINT",
        "VOLUME",
        "USER",
        "WORKDIR",
        "ARG",
        "ONBUILD",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
        "AS",
    ],
    constants: &[],
    line_comment: &["#"],
    block_comment: None,
    quotes: b"\"'",
    triple_quotes: false,
    case_insensitive: false,
    shell: true,
};

const TOML: Lang = Lang {
    keywords: &[],
    constants: &["true", "false"],
    line_comment: &["#", ";"],
    block_comment: None,
    quotes: b"\"'",
    triple_quotes: true,
    case_insensitive: false,
    shell: false,
};

/// The table for a fence language (already lower-case), if there is one.
fn lang(name: &str) -> Option<&'static Lang> {
    Some(match name {
        "py" | "python" | "python3" | "py3" | "pycon" => &PYTHON,
        "go" | "golang" => &GO,
        "js" | "javascript" | "jsx" | "ts" | "typescript" | "tsx" | "mjs" | "cjs" => &JS,
        "c" | "h" | "cpp" | "c++" | "cxx" | "cs" | "csharp" | "c#" | "java" | "kotlin" | "kt" | "rust" | "rs"
        | "swift" | "scala" | "groovy" | "gradle" | "dart" | "php" => &C_FAMILY,
        "sh" | "bash" | "shell" | "zsh" | "console" | "shell-session" | "shellsession" | "terminal" | "ksh" => &SHELL,
        "sql" | "mysql" | "postgresql" | "psql" | "plsql" => &SQL,
        "dockerfile" | "docker" | "containerfile" => &DOCKERFILE,
        "toml" | "ini" | "cfg" | "conf" | "properties" | "env" | "dotenv" => &TOML,
        _ => return None,
    })
}

/// Highlighted HTML, or `None` when the language has no table here.
pub(super) fn highlight(code: &str, language: &str) -> Option<String> {
    let lang = lang(language)?;
    let mut out = String::with_capacity(code.len() + code.len() / 2);
    let bytes = code.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    let mut word_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        let rest = &code[i..];
        let token: Option<(usize, &str)> = if let Some(&(open, close)) =
            lang.block_comment.as_ref().filter(|(o, _)| rest.starts_with(o))
        {
            let end = rest[open.len()..].find(close).map_or(rest.len(), |e| open.len() + e + close.len());
            Some((end, "hl-m"))
        } else if lang.line_comment.iter().any(|c| rest.starts_with(c))
            && (!lang.shell || word_start)
            && !(b == b'#' && rest.starts_with("#!") && i == 0 && !lang.shell)
        {
            Some((rest.find('\n').unwrap_or(rest.len()), "hl-m"))
        } else if lang.quotes.contains(&b) && !(lang.shell && b == b'\'' && !word_start && prev_is_word(bytes, i)) {
            Some((string_end(rest, lang), "hl-s"))
        } else if b.is_ascii_digit() && (i == 0 || !is_ident(bytes[i - 1])) {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(rest.len());
            Some((end, "hl-n"))
        } else if lang.shell
            && b == b'$'
            && rest.len() > 1
            && (bytes[i + 1] == b'{' || bytes[i + 1] == b'(' || is_ident(bytes[i + 1]))
        {
            let end = if bytes[i + 1] == b'{' {
                rest.find('}').map_or(rest.len(), |e| e + 1)
            } else if bytes[i + 1] == b'(' {
                2
            } else {
                1 + rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len() - 1)
            };
            Some((end, "hl-c"))
        } else if is_ident_start(b) && (i == 0 || !is_ident(bytes[i - 1])) {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || (lang.shell && c == '-')))
                .unwrap_or(rest.len());
            let word = &rest[..len];
            let class = if is_keyword(lang.keywords, word, lang.case_insensitive) {
                Some("hl-keyword")
            } else if is_keyword(lang.constants, word, lang.case_insensitive) {
                Some("hl-c")
            } else if !lang.shell && rest[len..].starts_with('(') {
                Some("hl-entity hl-name hl-function")
            } else {
                None
            };
            match class {
                Some(class) => Some((len, class)),
                None => {
                    i += len;
                    word_start = false;
                    continue;
                }
            }
        } else {
            None
        };
        match token {
            Some((len, class)) => {
                let len = len.max(1);
                if plain < i {
                    out.push_str(&escape_html(&code[plain..i]));
                }
                push_span(&mut out, class, &code[i..i + len]);
                i += len;
                plain = i;
                word_start = false;
            }
            None => {
                word_start = b.is_ascii_whitespace() || matches!(b, b';' | b'|' | b'&' | b'(' | b'`');
                i += 1;
                while i < bytes.len() && !code.is_char_boundary(i) {
                    i += 1;
                }
            }
        }
    }
    if plain < bytes.len() {
        out.push_str(&escape_html(&code[plain..]));
    }
    Some(out)
}

fn prev_is_word(bytes: &[u8], i: usize) -> bool {
    i > 0 && bytes[i - 1].is_ascii_alphanumeric()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_keyword(list: &[&str], word: &str, case_insensitive: bool) -> bool {
    if case_insensitive {
        list.iter().any(|k| k.eq_ignore_ascii_case(word))
    } else {
        list.contains(&word)
    }
}

/// Length of the string literal starting `rest` (to the end of the line if unclosed).
fn string_end(rest: &str, lang: &Lang) -> usize {
    let quote = rest.as_bytes()[0];
    if lang.triple_quotes && rest.len() >= 3 && rest.as_bytes()[1] == quote && rest.as_bytes()[2] == quote {
        let delimiter = &rest[..3];
        return rest[3..].find(delimiter).map_or(rest.len(), |e| 3 + e + 3);
    }
    let multiline = quote == b'`' || lang.shell;
    let bytes = rest.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote != b'\'' || !lang.shell => i += 2,
            b'\n' if !multiline => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    rest.len()
}

/// A span whose text may cover several lines (the line splitter closes and reopens it).
fn push_span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    out.push_str(&escape_html(text));
    out.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python() {
        let html = highlight("def f(x):\n    # note\n    return \"a\\\"b\" + 1  # x\n", "python").unwrap();
        assert_eq!(
            html,
            "<span class=\"hl-keyword\">def</span> <span class=\"hl-entity hl-name hl-function\">f</span>(x):\n    <span class=\"hl-m\"># note</span>\n    <span class=\"hl-keyword\">return</span> <span class=\"hl-s\">&quot;a\\&quot;b&quot;</span> + <span class=\"hl-n\">1</span>  <span class=\"hl-m\"># x</span>\n"
        );
        assert!(highlight("s = \"\"\"multi\nline\"\"\"\n", "py")
            .unwrap()
            .contains("<span class=\"hl-s\">&quot;&quot;&quot;multi\nline&quot;&quot;&quot;</span>"));
    }

    #[test]
    fn shell_and_others() {
        let html = highlight("export A=${B:-x} # set\necho \"$A\" it's\n", "bash").unwrap();
        assert!(html.contains("<span class=\"hl-keyword\">export</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-c\">${B:-x}</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-m\"># set</span>"), "{html}");
        assert!(html.contains("it&#39;s"), "an apostrophe inside a word is no string: {html}");
        let html = highlight("SELECT * FROM t -- all\n", "sql").unwrap();
        assert!(
            html.starts_with("<span class=\"hl-keyword\">SELECT</span> * <span class=\"hl-keyword\">FROM</span>"),
            "{html}"
        );
        let html = highlight("const x = `a ${b}`; /* c */ x<y && f(1.5)\n", "ts").unwrap();
        assert!(html.contains("<span class=\"hl-s\">`a ${b}`</span>") && html.contains("x&lt;y &amp;&amp;"), "{html}");
        assert!(highlight("x", "cobol").is_none());
        // The text is never changed, only wrapped.
        let code = "fn main() { let s = \"unterminated\n}\n";
        let html = highlight(code, "rust").unwrap();
        let text: String = html.split('<').map(|p| p.split_once('>').map_or(p, |(_, t)| t)).collect();
        assert_eq!(text.replace("&quot;", "\""), code);
    }
}
