//! The moves a migration makes on an entry's YAML tree (as JSON), each idempotent: applied to
//! its own output it changes nothing, so `nsi migrate` run twice changes nothing the second
//! time. A migration is a few calls to these.

use serde_json::{Map, Value};

/// Rename the field `from` to `to` within `map`. Nothing happens when `from` is absent; when
/// both are present the existing `to` is kept and `from` is left for a person to reconcile
/// (a migration never drops what an author wrote).
pub fn rename(map: &mut Map<String, Value>, from: &str, to: &str) {
    if map.contains_key(to) {
        return;
    }
    if let Some(value) = map.remove(from) {
        map.insert(to.to_owned(), value);
    }
}

/// Replace the field `from` with the fields `split` makes of its value (for example a
/// `contact: "Name <email>"` into `name` and `email`). Fields already present are kept; `from`
/// is removed only when `split` accepted the value (returned `Some`).
pub fn split(
    map: &mut Map<String, Value>,
    from: &str,
    split: impl Fn(&Value) -> Option<Vec<(String, Value)>>,
) {
    let Some(parts) = map.get(from).and_then(&split) else {
        return;
    };
    for (key, value) in parts {
        map.entry(key).or_insert(value);
    }
    map.remove(from);
}

/// Add the field `key` with `value` when it is absent: a new required field with a default,
/// or with a marker an author must replace (see [`super::Marker`]).
pub fn add_default(map: &mut Map<String, Value>, key: &str, value: Value) {
    map.entry(key.to_owned()).or_insert(value);
}

/// Move the values of the field at `pointer` (a JSON pointer where `*` stands for every item
/// of a list) from one vocabulary to another: each value found in `mapping` as `(old, new)` is
/// replaced. Values not in `mapping` are left as they are.
pub fn map_values(value: &mut Value, pointer: &str, mapping: &[(&str, &str)]) {
    for_each_at(value, pointer, &mut |node| {
        let replacement = node
            .as_str()
            .and_then(|old| mapping.iter().find(|(from, _)| *from == old))
            .map(|(_, to)| *to);
        if let Some(new) = replacement {
            *node = Value::from(new);
        }
    });
}

/// Call `visit` on every node at `pointer`, where a `*` token stands for every item of a list
/// (`/documentation/*/type`).
pub fn for_each_at(value: &mut Value, pointer: &str, visit: &mut dyn FnMut(&mut Value)) {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    walk(value, &tokens, visit);
}

fn walk(value: &mut Value, tokens: &[&str], visit: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = tokens.split_first() else {
        visit(value);
        return;
    };
    match (value, *first) {
        (Value::Array(items), "*") => {
            for item in items {
                walk(item, rest, visit);
            }
        }
        (Value::Array(items), index) => {
            if let Some(item) = index.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                walk(item, rest, visit);
            }
        }
        (Value::Object(map), key) => {
            let key = key.replace("~1", "/").replace("~0", "~");
            if let Some(child) = map.get_mut(&key) {
                walk(child, rest, visit);
            }
        }
        _ => {}
    }
}

/// The pointers of every node at `pattern` (a JSON pointer where `*` stands for every item
/// of a list), with the node.
pub fn find_at<'v>(value: &'v Value, pattern: &str) -> Vec<(String, &'v Value)> {
    let mut out = Vec::new();
    let tokens: Vec<&str> = pattern.split('/').skip(1).collect();
    find(value, &tokens, String::new(), &mut out);
    out
}

fn find<'v>(value: &'v Value, tokens: &[&str], at: String, out: &mut Vec<(String, &'v Value)>) {
    let Some((first, rest)) = tokens.split_first() else {
        out.push((at, value));
        return;
    };
    match (value, *first) {
        (Value::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                find(item, rest, format!("{at}/{i}"), out);
            }
        }
        (Value::Array(items), index) => {
            if let Some(item) = index.parse::<usize>().ok().and_then(|i| items.get(i)) {
                find(item, rest, format!("{at}/{index}"), out);
            }
        }
        (Value::Object(map), key) => {
            let unescaped = key.replace("~1", "/").replace("~0", "~");
            if let Some(child) = map.get(&unescaped) {
                find(child, rest, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Remove repeated strings from a list, keeping the first of each.
pub fn dedupe(list: &mut Vec<Value>) {
    let mut seen: Vec<Value> = Vec::with_capacity(list.len());
    list.retain(|item| {
        if seen.contains(item) {
            false
        } else {
            seen.push(item.clone());
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("a test object"),
        }
    }

    #[test]
    fn rename_moves_a_field_once_and_never_overwrites() {
        let mut map = object(json!({"old": 1}));
        rename(&mut map, "old", "new");
        assert_eq!(Value::Object(map.clone()), json!({"new": 1}));
        rename(&mut map, "old", "new");
        assert_eq!(Value::Object(map), json!({"new": 1}), "idempotent");
        let mut both = object(json!({"old": 1, "new": 2}));
        rename(&mut both, "old", "new");
        assert_eq!(Value::Object(both), json!({"old": 1, "new": 2}));
    }

    #[test]
    fn split_makes_fields_of_one_and_keeps_what_it_cannot_read() {
        let by_space = |v: &Value| {
            let (a, b) = v.as_str()?.split_once(' ')?;
            Some(vec![
                ("first".to_owned(), json!(a)),
                ("last".to_owned(), json!(b)),
            ])
        };
        let mut map = object(json!({"name": "Ada Lovelace"}));
        split(&mut map, "name", by_space);
        assert_eq!(
            Value::Object(map.clone()),
            json!({"first": "Ada", "last": "Lovelace"})
        );
        split(&mut map, "name", by_space);
        assert_eq!(
            Value::Object(map),
            json!({"first": "Ada", "last": "Lovelace"})
        );
        let mut odd = object(json!({"name": "Plato"}));
        split(&mut odd, "name", by_space);
        assert_eq!(Value::Object(odd), json!({"name": "Plato"}));
    }

    #[test]
    fn a_default_is_added_only_where_the_field_is_absent() {
        let mut map = object(json!({"a": 1}));
        add_default(&mut map, "b", json!("marker"));
        add_default(&mut map, "a", json!(2));
        assert_eq!(Value::Object(map), json!({"a": 1, "b": "marker"}));
    }

    #[test]
    fn values_move_between_vocabularies_in_every_item() {
        let mut value = json!({"docs": [{"type": "pid"}, {"type": "dpia"}, {"type": "x"}]});
        let mapping = [("pid", "project-plan"), ("x", "y")];
        map_values(&mut value, "/docs/*/type", &mapping);
        assert_eq!(
            value,
            json!({"docs": [{"type": "project-plan"}, {"type": "dpia"}, {"type": "y"}]})
        );
        let again = value.clone();
        map_values(&mut value, "/docs/*/type", &mapping);
        assert_eq!(value, again);
        let mut scalar = json!({"phase": "retired"});
        map_values(&mut scalar, "/phase", &[("retired", "live")]);
        assert_eq!(scalar, json!({"phase": "live"}));
    }

    #[test]
    fn patterns_find_every_item() {
        let value = json!({"a": [{"b": 1}, {"c": 2}, {"b": 3}]});
        let found: Vec<String> = find_at(&value, "/a/*/b")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found, ["/a/0/b", "/a/2/b"]);
        assert_eq!(find_at(&value, "/a/1/c")[0].1, &json!(2));
        assert!(find_at(&value, "/x").is_empty());
    }

    #[test]
    fn dedupe_keeps_the_first() {
        let mut list = vec![json!("a"), json!("b"), json!("a")];
        dedupe(&mut list);
        assert_eq!(list, [json!("a"), json!("b")]);
    }
}
