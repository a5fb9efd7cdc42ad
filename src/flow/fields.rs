//! The form's containers: a value for each field of an enum, and the set of
//! scopes withheld at consent. Plain arrays and a sorted `Vec` instead of
//! `BTreeMap` and `BTreeSet`, whose insert, remove, clone and drop code is
//! instantiated for each key and value type: on the Flow screen's first
//! download that was several kilobytes for a dozen fields.

use std::marker::PhantomData;

/// An enum whose variants are the fields of a form, numbered from 0.
pub trait Field: Copy {
    fn index(self) -> usize;
}

/// A value for every variant of `F` (`N` of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValues<F, V, const N: usize> {
    values: [V; N],
    field: PhantomData<F>,
}

impl<F: Field, V: Default, const N: usize> Default for FieldValues<F, V, N> {
    fn default() -> Self {
        Self {
            values: std::array::from_fn(|_| V::default()),
            field: PhantomData,
        }
    }
}

impl<F: Field, V, const N: usize> FieldValues<F, V, N> {
    pub fn insert(&mut self, field: F, value: V) {
        self.values[field.index()] = value;
    }

    pub fn get(&self, field: F) -> &V {
        &self.values[field.index()]
    }
}

/// Scopes, each once, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet(Vec<String>);

impl ScopeSet {
    pub fn insert(&mut self, scope: String) {
        if let Err(at) = self.0.binary_search(&scope) {
            self.0.insert(at, scope);
        }
    }

    pub fn remove(&mut self, scope: &str) {
        self.0.retain(|held| held != scope);
    }

    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|held| held == scope)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl<const N: usize> From<[&str; N]> for ScopeSet {
    fn from(scopes: [&str; N]) -> Self {
        let mut set = Self::default();
        for scope in scopes {
            set.insert(scope.to_owned());
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_set_keeps_each_scope_once_and_in_order() {
        let mut set = ScopeSet::from(["write", "email", "write"]);
        assert_eq!(set.iter().collect::<Vec<_>>(), ["email", "write"]);
        set.insert("admin".into());
        set.remove("email");
        assert_eq!(set.iter().collect::<Vec<_>>(), ["admin", "write"]);
        assert!(set.contains("write") && !set.contains("email"));
        assert_eq!(set, ScopeSet::from(["write", "admin"]));
    }
}
