//! Checks the generated declarations (core-types.d.ts) against what serde really writes: the
//! core makes values of every type that crosses (classify, advise, plans, …), serde_json
//! writes them, and each must fit its declared type. A small reader of the TypeScript that
//! ts-rs writes (object types, unions, intersections, arrays, literals, names), enough for
//! these declarations; anything else it does not know is a failure, never a pass.

use std::collections::BTreeMap;

use serde_json::Value;

/// A TypeScript type, as far as the declarations use them.
#[derive(Debug, Clone, PartialEq)]
pub enum Ts {
    String,
    Number,
    Boolean,
    Null,
    Never,
    Unknown,
    Literal(Value),
    Array(Box<Ts>),
    /// Fields (name → optional?, type), and whether fields not listed are refused.
    Object(BTreeMap<String, (bool, Ts)>),
    /// `{ [key in string]: T }` or `Record<string, T>`.
    Map(Box<Ts>),
    Union(Vec<Ts>),
    Intersection(Vec<Ts>),
    Named(String),
}

/// `export type Name = …;` declarations → name → type.
pub fn parse_declarations(text: &str) -> Result<BTreeMap<String, Ts>, String> {
    let text = strip_comments(text);
    let mut out = BTreeMap::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("export type ") {
        rest = &rest[at + "export type ".len()..];
        let eq = rest.find('=').ok_or("a declaration without `=`")?;
        let name = rest[..eq].trim().to_string();
        let mut p = Parser {
            s: &rest.as_bytes()[eq + 1..],
            i: 0,
        };
        let ty = p.ty()?;
        p.ws();
        if p.peek() != Some(b';') {
            return Err(format!("{name}: expected `;` at {}", p.rest()));
        }
        rest = &rest[eq + 1 + p.i + 1..];
        out.insert(name, ty);
    }
    Ok(out)
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                let end = rest[b..].find("*/").map_or(rest.len(), |e| b + e + 2);
                rest = &rest[end..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |e| &rest[l + e..]);
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn rest(&self) -> String {
        String::from_utf8_lossy(&self.s[self.i..self.s.len().min(self.i + 40)]).into()
    }
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(token.as_bytes()) {
            self.i += token.len();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!("expected `{token}` at {}", self.rest()))
        }
    }
    fn ident(&mut self) -> Result<String, String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        if start == self.i {
            return Err(format!("expected a name at {}", self.rest()));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.i]).into())
    }
    fn string(&mut self) -> Result<String, String> {
        self.expect("\"")?;
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i] != b'"' {
            self.i += 1;
        }
        let s = String::from_utf8_lossy(&self.s[start..self.i]).into();
        self.expect("\"")?;
        Ok(s)
    }

    fn ty(&mut self) -> Result<Ts, String> {
        self.eat("|");
        let mut alternatives = vec![self.intersection()?];
        while self.eat("|") {
            alternatives.push(self.intersection()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().unwrap()
        } else {
            Ts::Union(alternatives)
        })
    }
    fn intersection(&mut self) -> Result<Ts, String> {
        let mut parts = vec![self.postfix()?];
        while self.eat("&") {
            parts.push(self.postfix()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Ts::Intersection(parts)
        })
    }
    fn postfix(&mut self) -> Result<Ts, String> {
        let mut t = self.primary()?;
        while self.eat("[]") {
            t = Ts::Array(Box::new(t));
        }
        Ok(t)
    }
    fn primary(&mut self) -> Result<Ts, String> {
        match self.peek() {
            Some(b'"') => Ok(Ts::Literal(Value::String(self.string()?))),
            Some(b'(') => {
                self.expect("(")?;
                let t = self.ty()?;
                self.expect(")")?;
                Ok(t)
            }
            Some(b'{') => self.object(),
            _ => {
                let name = self.ident()?;
                Ok(match name.as_str() {
                    "string" => Ts::String,
                    "number" => Ts::Number,
                    "boolean" => Ts::Boolean,
                    "null" => Ts::Null,
                    "never" => Ts::Never,
                    "unknown" => Ts::Unknown,
                    "true" | "false" => Ts::Literal(Value::Bool(name == "true")),
                    "Array" => {
                        self.expect("<")?;
                        let t = self.ty()?;
                        self.expect(">")?;
                        Ts::Array(Box::new(t))
                    }
                    "Record" => {
                        self.expect("<")?;
                        self.expect("string")?;
                        self.expect(",")?;
                        let t = self.ty()?;
                        self.expect(">")?;
                        Ts::Map(Box::new(t))
                    }
                    _ => Ts::Named(name),
                })
            }
        }
    }
    fn object(&mut self) -> Result<Ts, String> {
        self.expect("{")?;
        if self.eat("[") {
            self.ident()?;
            self.expect("in")?;
            self.expect("string")?;
            self.expect("]")?;
            let optional = self.eat("?");
            self.expect(":")?;
            let t = self.ty()?;
            self.eat(",");
            self.eat(";");
            self.expect("}")?;
            let _ = optional;
            return Ok(Ts::Map(Box::new(t)));
        }
        let mut fields = BTreeMap::new();
        while !self.eat("}") {
            let name = if self.peek() == Some(b'"') {
                self.string()?
            } else {
                self.ident()?
            };
            let optional = self.eat("?");
            self.expect(":")?;
            let t = self.ty()?;
            if !self.eat(",") && !self.eat(";") && self.peek() != Some(b'}') {
                return Err(format!("expected `,` at {}", self.rest()));
            }
            fields.insert(name, (optional, t));
        }
        Ok(Ts::Object(fields))
    }
}

/// Does `value` fit `ty`? Objects are exact: a key the type does not list is a misfit (the
/// declarations must say everything serde writes).
pub fn fits(value: &Value, ty: &Ts, decls: &BTreeMap<String, Ts>) -> Result<(), String> {
    let fail = || Err(format!("{value} does not fit {ty:?}"));
    match (ty, value) {
        (Ts::Unknown, _) => Ok(()),
        (Ts::String, Value::String(_))
        | (Ts::Number, Value::Number(_))
        | (Ts::Boolean, Value::Bool(_))
        | (Ts::Null, Value::Null) => Ok(()),
        (Ts::Literal(l), v) if l == v => Ok(()),
        (Ts::Array(t), Value::Array(items)) => items.iter().try_for_each(|v| fits(v, t, decls)),
        (Ts::Map(t), Value::Object(map)) => map.values().try_for_each(|v| fits(v, t, decls)),
        (Ts::Object(fields), Value::Object(map)) => {
            for key in map.keys() {
                if !fields.contains_key(key) {
                    return Err(format!("key `{key}` of {value} is not declared"));
                }
            }
            for (name, (optional, t)) in fields {
                match map.get(name) {
                    Some(v) => fits(v, t, decls).map_err(|e| format!("{name}: {e}"))?,
                    None if *optional => {}
                    None => return Err(format!("{value} lacks `{name}`")),
                }
            }
            Ok(())
        }
        (Ts::Union(alternatives), v) => {
            let errors: Vec<String> = alternatives
                .iter()
                .filter_map(|t| fits(v, t, decls).err())
                .collect();
            if errors.len() < alternatives.len() {
                Ok(())
            } else {
                Err(format!("{v} fits no alternative: {}", errors.join("; ")))
            }
        }
        (Ts::Intersection(parts), Value::Object(map)) => {
            // Each part sees the keys it declares (the others' are theirs).
            let mut unclaimed: Vec<&String> = map.keys().collect();
            for part in parts {
                let own = declared_keys(part, decls);
                let mine: serde_json::Map<String, Value> = map
                    .iter()
                    .filter(|(k, _)| own.iter().any(|o| o == *k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                unclaimed.retain(|k| !own.iter().any(|o| o == *k));
                fits(&Value::Object(mine), part, decls)?;
            }
            match unclaimed.first() {
                Some(k) => Err(format!("key `{k}` of {value} is not declared")),
                None => Ok(()),
            }
        }
        (Ts::Named(name), v) => match decls.get(name) {
            Some(t) => fits(v, t, decls).map_err(|e| format!("{name}: {e}")),
            None => Err(format!("`{name}` is not declared")),
        },
        _ => fail(),
    }
}

fn declared_keys(ty: &Ts, decls: &BTreeMap<String, Ts>) -> Vec<String> {
    match ty {
        Ts::Object(fields) => fields.keys().cloned().collect(),
        Ts::Union(ts) | Ts::Intersection(ts) => {
            ts.iter().flat_map(|t| declared_keys(t, decls)).collect()
        }
        Ts::Named(n) => decls.get(n).map_or(vec![], |t| declared_keys(t, decls)),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decls(text: &str) -> BTreeMap<String, Ts> {
        parse_declarations(text).unwrap()
    }

    #[test]
    fn the_reader_knows_what_fits_and_what_does_not() {
        let d = decls(
            "export type K = \"a\" | \"b\";\n\
             /** doc */ export type O = { k: K, /** x */ n: number | null, o?: string, \"t\": \"x\", };\n\
             export type M = { [key in string]: boolean };\n\
             export type I = ({ origins: string[] } | { hostnames: string[] }) & { id?: string };",
        );
        let ok = |v: &str, t: &str| fits(&serde_json::from_str(v).unwrap(), &d[t], &d);
        assert!(ok(r#""a""#, "K").is_ok());
        assert!(ok(r#""c""#, "K").is_err());
        assert!(ok(r#"{"k":"b","n":null,"t":"x"}"#, "O").is_ok());
        assert!(ok(r#"{"k":"b","n":1,"o":"s","t":"x"}"#, "O").is_ok());
        assert!(ok(r#"{"k":"b","t":"x"}"#, "O").is_err(), "a missing field");
        assert!(
            ok(r#"{"k":"b","n":1,"t":"x","z":1}"#, "O").is_err(),
            "an extra key"
        );
        assert!(
            ok(r#"{"k":"b","n":"1","t":"x"}"#, "O").is_err(),
            "a wrong type"
        );
        assert!(ok(r#"{"a":true,"b":true}"#, "M").is_ok());
        assert!(ok(r#"{"a":1}"#, "M").is_err());
        assert!(ok(r#"{"origins":["x"],"id":"s"}"#, "I").is_ok());
        assert!(ok(r#"{"hostnames":["x"]}"#, "I").is_ok());
        assert!(ok(r#"{"hostnames":["x"],"other":1}"#, "I").is_err());
        assert!(ok(r#"{"id":"s"}"#, "I").is_err());
    }
}
