//! A small map in a vector: the servers' state (codes, tokens,
//! transactions, device grants), a request's parameters and the simulated
//! browser's storage and cookies.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Index;

/// Entries by key, in a vector, in the order they were first inserted. A
/// run holds a handful, which a scan finds as fast as a map would; and a
/// vector's code is a fraction of a map's: every `BTreeMap` type compiles
/// its own search, insert, rebalance and drop code into the wasm, which
/// every screen with the simulator downloads.
#[derive(Clone)]
pub struct Table<K, V>(Vec<(K, V)>);

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K: PartialEq, V> Table<K, V> {
    fn position<Q>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.0.iter().position(|(k, _)| k.borrow() == key)
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|index| &self.0[index].1)
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|index| &mut self.0[index].1)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).is_some()
    }

    /// Sets `key` to `value`, replacing what it had (in its place).
    pub fn insert(&mut self, key: K, value: V) {
        match self.position(&key) {
            Some(index) => self.0[index].1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|index| self.0.remove(index).1)
    }

    /// The entry for `key`, made with `V::default()` if there is none.
    pub fn entry_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let index = match self.position(&key) {
            Some(index) => index,
            None => {
                self.0.push((key, V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[index].1
    }
}

impl<K, V> Table<K, V> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in the order their keys were first inserted.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// `table[key]`, which panics without the key, as a map's does.
impl<K, Q, V> Index<&Q> for Table<K, V>
where
    K: PartialEq + Borrow<Q>,
    Q: PartialEq + ?Sized,
{
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key")
    }
}

/// Equal with the same entries, in whatever order, as maps are.
impl<K: PartialEq, V: PartialEq> PartialEq for Table<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<K: Eq, V: Eq> Eq for Table<K, V> {}

/// Printed as a map is.
impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Table<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, V> IntoIterator for Table<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    /// The entries, in the order their keys were first inserted.
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
