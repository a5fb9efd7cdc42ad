//! The server's state by key: codes, tokens, transactions, device grants.

use std::borrow::Borrow;

/// Entries by key, in a vector. A run holds a handful, which a scan finds
/// as fast as a map would; and a vector's code is a fraction of a map's:
/// every map type compiles its own search, insert, rebalance and drop
/// code into the wasm, which every screen with the simulator downloads.
#[derive(Debug, Clone)]
pub(super) struct Table<K, V>(Vec<(K, V)>);

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

    /// Sets `key` to `value`, replacing what it had.
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

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}
