//! OData `$filter` expressions as ARM's authorization API accepts them:
//! `name eq 'value'`, `func()` or `func('value')`, joined by `and`.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clause {
    /// `field eq 'value'`; `quoted` is false for a bare word (`principalId eq 1234`).
    Eq {
        field: String,
        value: String,
        quoted: bool,
    },
    /// `atScope()`, `assignedTo('id')`, `atScopeAndBelow()`.
    Call { name: String, arg: Option<String> },
}

#[derive(Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Text(String),
    Open,
    Close,
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '\'' => {
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            text.push('\'');
                        }
                        Some('\'') => break,
                        Some(other) => text.push(other),
                        None => return Err("a quoted value is not closed".into()),
                    }
                }
                tokens.push(Token::Text(text));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c == ' ' || c == '(' || c == ')' || c == '\'' {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

/// Parses a filter into clauses joined by `and`.
pub fn parse(input: &str) -> Result<Vec<Clause>, String> {
    let tokens = tokenize(input)?;
    let mut clauses = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !clauses.is_empty() {
            match tokens.get(i) {
                Some(Token::Word(w)) if w.eq_ignore_ascii_case("and") => i += 1,
                _ => return Err("clauses must be joined by 'and'".into()),
            }
        }
        let Some(Token::Word(name)) = tokens.get(i) else {
            return Err("expected a property or function name".into());
        };
        match tokens.get(i + 1) {
            Some(Token::Word(op)) if op.eq_ignore_ascii_case("eq") => {
                let (value, quoted) = match tokens.get(i + 2) {
                    Some(Token::Text(t)) => (t.clone(), true),
                    Some(Token::Word(w)) => (w.clone(), false),
                    _ => return Err(format!("'{name} eq' needs a value")),
                };
                clauses.push(Clause::Eq {
                    field: name.clone(),
                    value,
                    quoted,
                });
                i += 3;
            }
            Some(Token::Open) => match (tokens.get(i + 2), tokens.get(i + 3)) {
                (Some(Token::Close), _) => {
                    clauses.push(Clause::Call {
                        name: name.clone(),
                        arg: None,
                    });
                    i += 3;
                }
                (Some(Token::Text(arg)), Some(Token::Close)) => {
                    clauses.push(Clause::Call {
                        name: name.clone(),
                        arg: Some(arg.clone()),
                    });
                    i += 4;
                }
                _ => return Err(format!("'{name}(' is not closed properly")),
            },
            _ => return Err(format!("'{name}' must be followed by 'eq' or '('")),
        }
    }
    if clauses.is_empty() {
        return Err("the filter is empty".into());
    }
    Ok(clauses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(field: &str, value: &str) -> Clause {
        Clause::Eq {
            field: field.into(),
            value: value.into(),
            quoted: true,
        }
    }

    #[test]
    fn doubled_quotes_and_the_word_and_inside_values_survive() {
        assert_eq!(
            parse("roleName eq 'O''Brien and Test Role'"),
            Ok(vec![eq("roleName", "O'Brien and Test Role")])
        );
    }

    #[test]
    fn functions_and_conjunctions_parse() {
        assert_eq!(
            parse("atScope() and assignedTo('abc')"),
            Ok(vec![
                Clause::Call {
                    name: "atScope".into(),
                    arg: None
                },
                Clause::Call {
                    name: "assignedTo".into(),
                    arg: Some("abc".into())
                },
            ])
        );
    }

    #[test]
    fn bare_values_are_marked_unquoted_and_garbage_is_refused() {
        assert_eq!(
            parse("principalId eq 1234"),
            Ok(vec![Clause::Eq {
                field: "principalId".into(),
                value: "1234".into(),
                quoted: false
            }])
        );
        assert!(parse("roleName eq 'open").is_err());
        assert!(parse("roleName 'x'").is_err());
        assert!(parse("").is_err());
        assert!(parse("atScope() or atScope()").is_err());
    }
}
