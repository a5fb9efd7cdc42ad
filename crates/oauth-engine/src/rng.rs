//! Injected randomness.
//!
//! The engine never reaches for a global random source: every party that
//! needs random bytes (PKCE verifiers, codes, tokens) takes a `&mut dyn Rng`.
//! A trait object, not a generic: the app runs scenarios with two sources,
//! and a generic would compile the whole protocol twice (9 KB gzip).
//! The app passes one backed by the browser's `crypto.getRandomValues`;
//! tests and the "same tokens for everyone" mode pass a [`SeededRng`] so a
//! scenario replays to identical bytes.

use std::fmt;

/// A source of random bytes.
pub trait Rng {
    /// Fills `dest` entirely with random bytes, or says why it cannot. A
    /// browser without `crypto.getRandomValues` must not get a weak verifier.
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomnessUnavailable>;
}

/// A borrowed source is a source: a run can take the caller's generator
/// and give it back afterwards, or own one outright.
impl<R: Rng + ?Sized> Rng for &mut R {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomnessUnavailable> {
        (**self).fill_bytes(dest)
    }
}

/// The random source failed; carries its own explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RandomnessUnavailable(pub String);

impl fmt::Display for RandomnessUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no secure random source is available: {}", self.0)
    }
}

impl std::error::Error for RandomnessUnavailable {}

/// A deterministic generator (xoshiro256**, seeded through SplitMix64).
///
/// Reproducible, not secret: anyone who knows the seed knows every byte it
/// will produce. That is the point of the workshop mode, and the reason it is
/// never the default.
#[derive(Debug, Clone)]
pub struct SeededRng {
    state: [u64; 4],
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        // SplitMix64 spreads one seed over the four state words, as the
        // xoshiro authors recommend; it never yields an all-zero state.
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Self {
            state: [next(), next(), next(), next()],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }
}

impl Rng for SeededRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomnessUnavailable> {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn same_seed_gives_same_bytes() {
        let (mut a, mut b) = (SeededRng::new(7), SeededRng::new(7));
        let (mut x, mut y) = ([0u8; 37], [0u8; 37]);
        a.fill_bytes(&mut x).unwrap();
        b.fill_bytes(&mut y).unwrap();
        assert_eq!(x, y);
    }

    #[test]
    fn different_seeds_give_different_bytes() {
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        SeededRng::new(1).fill_bytes(&mut x).unwrap();
        SeededRng::new(2).fill_bytes(&mut y).unwrap();
        assert_ne!(x, y);
    }

    #[test]
    fn fills_every_byte_of_an_odd_length_buffer() {
        // A buffer that is not a multiple of 8 must not keep its zeros at the end.
        let mut buf = [0u8; 13];
        SeededRng::new(42).fill_bytes(&mut buf).unwrap();
        assert_ne!(buf[8..], [0u8; 5]);
    }
}
