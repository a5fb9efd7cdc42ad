//! RS256, RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 section 3.3, RFC 8017
//! section 8.2), for the simulated servers' key, on arithmetic of its own.
//!
//! Why not the `rsa` crate: with `num-bigint-dig` it was 27.7 KB (gzip) of
//! every simulator screen's first download, for signing with one key. The
//! JWT debugger, which takes the keys a user types, keeps using it (`jwa`).
//! This arithmetic is not constant time, which is fine for what it is
//! given: the servers' key is the one RFC 7515 publishes (`keys`). Do not
//! give it a secret key.

use std::cmp::Ordering;
use std::fmt;

use sha2::{Digest, Sha256};

/// RFC 8017 section 9.2, note 1: the DER encoding of the DigestInfo for
/// SHA-256, which precedes the hash in the encoded message.
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// The longest modulus accepted, in bits: what common libraries accept.
const MAX_MODULUS_BITS: usize = 4096;
/// The shortest: 512 bits leave room for the SHA-256 encoding (RFC 8017
/// section 9.2 needs 62 octets), so a key that loads always signs.
const MIN_MODULUS_BITS: usize = 512;

/// A non-negative integer: 32-bit limbs, least significant first, with no
/// zero limb at the top (zero is no limbs), so equal numbers are equal.
#[derive(Clone, PartialEq, Eq)]
struct Nat(Vec<u32>);

impl Nat {
    /// RFC 8017 section 4.2, OS2IP: big-endian octets to an integer.
    fn from_be_bytes(bytes: &[u8]) -> Self {
        let limbs = bytes
            .rchunks(4)
            .map(|chunk| {
                chunk
                    .iter()
                    .fold(0u32, |limb, &byte| limb << 8 | u32::from(byte))
            })
            .collect();
        Self(limbs).normalized()
    }

    /// RFC 8017 section 4.1, I2OSP: the integer as `len` big-endian octets
    /// (the caller makes sure it fits).
    fn to_be_bytes(&self, len: usize) -> Vec<u8> {
        let mut bytes = vec![0u8; len];
        for (i, byte) in bytes.iter_mut().rev().enumerate() {
            let limb = self.0.get(i / 4).copied().unwrap_or(0);
            *byte = (limb >> (8 * (i % 4))) as u8;
        }
        bytes
    }

    /// The shortest big-endian octets (a JWK's `n` and `e`, RFC 7518
    /// section 6.3.1).
    fn to_minimal_be_bytes(&self) -> Vec<u8> {
        let bytes = self.to_be_bytes(self.0.len() * 4);
        let zeros = bytes.iter().take_while(|&&byte| byte == 0).count();
        bytes[zeros..].to_vec()
    }

    fn normalized(mut self) -> Self {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    fn bits(&self) -> usize {
        self.0
            .last()
            .map_or(0, |top| 32 * self.0.len() - top.leading_zeros() as usize)
    }

    fn bit(&self, i: usize) -> bool {
        self.0
            .get(i / 32)
            .is_some_and(|limb| limb >> (i % 32) & 1 == 1)
    }

    fn is_odd(&self) -> bool {
        self.bit(0)
    }

    /// `self - other`; `self` is at least `other`.
    fn minus(&self, other: &Nat) -> Nat {
        let mut limbs = self.0.clone();
        sub_in_place(&mut limbs, &other.0);
        Nat(limbs).normalized()
    }

    fn plus(&self, other: &Nat) -> Nat {
        let (long, short) = if self.0.len() >= other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut limbs = Vec::with_capacity(long.0.len() + 1);
        let mut carry = 0u64;
        for (i, &limb) in long.0.iter().enumerate() {
            let sum = u64::from(limb) + u64::from(short.0.get(i).copied().unwrap_or(0)) + carry;
            limbs.push(sum as u32);
            carry = sum >> 32;
        }
        limbs.push(carry as u32);
        Nat(limbs).normalized()
    }

    fn times(&self, other: &Nat) -> Nat {
        let mut limbs = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let sum = u64::from(limbs[i + j]) + u64::from(a) * u64::from(b) + carry;
                limbs[i + j] = sum as u32;
                carry = sum >> 32;
            }
            limbs[i + other.0.len()] = carry as u32;
        }
        Nat(limbs).normalized()
    }

    /// `self mod m`, a bit at a time: done once per signature, where a
    /// division routine would cost more code than it saves time.
    fn rem(&self, m: &Nat) -> Nat {
        let mut r = Nat(Vec::with_capacity(m.0.len() + 1));
        for i in (0..self.bits()).rev() {
            shift_left_one(&mut r.0, self.bit(i));
            if cmp(&r.0, &m.0) != Ordering::Less {
                sub_in_place(&mut r.0, &m.0);
            }
            r = r.normalized();
        }
        r
    }
}

impl PartialOrd for Nat {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Nat {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp(&self.0, &other.0)
    }
}

/// Compares limb slices as numbers; a zero limb at the top is allowed.
fn cmp(a: &[u32], b: &[u32]) -> Ordering {
    let len = a.len().max(b.len());
    (0..len)
        .rev()
        .map(|i| {
            let (x, y) = (a.get(i).unwrap_or(&0), b.get(i).unwrap_or(&0));
            x.cmp(y)
        })
        .find(|order| order.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// `a -= b` in place, for `a >= b`.
fn sub_in_place(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0u64;
    for (i, limb) in a.iter_mut().enumerate() {
        let subtrahend = u64::from(b.get(i).copied().unwrap_or(0)) + borrow;
        let (difference, under) = u64::from(*limb).overflowing_sub(subtrahend);
        *limb = difference as u32;
        borrow = u64::from(under);
    }
}

/// `a = 2a + bit`, growing by a limb when the top bit carries out.
fn shift_left_one(a: &mut Vec<u32>, bit: bool) {
    let mut carry = u32::from(bit);
    for limb in a.iter_mut() {
        let next = *limb >> 31;
        *limb = *limb << 1 | carry;
        carry = next;
    }
    if carry != 0 {
        a.push(carry);
    }
}

/// Arithmetic modulo an odd `m` in Montgomery form (`x` kept as `xR mod
/// m`, `R = 2^(32k)` for a `k`-limb `m`), where a product needs no
/// division.
#[derive(Clone, PartialEq, Eq)]
struct Montgomery {
    m: Vec<u32>,
    /// `-m^-1 mod 2^32`.
    m_inv: u32,
    /// `R^2 mod m`, which takes a number into the form.
    r2: Vec<u32>,
}

impl Montgomery {
    /// `None` unless `m` is odd and above 1.
    fn new(m: &Nat) -> Option<Self> {
        if !m.is_odd() || m.bits() < 2 {
            return None;
        }
        // Newton's iteration doubles the correct low bits of the inverse
        // each time: 1, 2, 4, ... 32 after five steps (m0 odd is its own
        // inverse mod 2).
        let m0 = m.0[0];
        let mut inverse = 1u32;
        for _ in 0..5 {
            inverse = inverse.wrapping_mul(2u32.wrapping_sub(m0.wrapping_mul(inverse)));
        }
        let k = m.0.len();
        let mut r2 = Nat(vec![1]);
        for _ in 0..64 * k {
            shift_left_one(&mut r2.0, false);
            if cmp(&r2.0, &m.0) != Ordering::Less {
                sub_in_place(&mut r2.0, &m.0);
            }
        }
        r2.0.resize(k, 0);
        Some(Self {
            m: m.0.clone(),
            m_inv: inverse.wrapping_neg(),
            r2: r2.0,
        })
    }

    /// `a b R^-1 mod m` for `a, b < m` of `k` limbs (Koç's CIOS method),
    /// into `out`; `t` is scratch of `k + 2` limbs.
    fn product(&self, a: &[u32], b: &[u32], t: &mut [u32], out: &mut [u32]) {
        let (m, k) = (&self.m, self.m.len());
        // Slices of known length let the compiler drop the bounds checks
        // from the loops below.
        let (a, b, t) = (&a[..k], &b[..k], &mut t[..k + 2]);
        t.fill(0);
        for &b_i in b {
            let mut carry = 0u64;
            for j in 0..k {
                let sum = u64::from(t[j]) + u64::from(a[j]) * u64::from(b_i) + carry;
                t[j] = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[k]) + carry;
            t[k] = sum as u32;
            t[k + 1] = (sum >> 32) as u32;
            // Adding u m makes the low limb zero; shifting drops it.
            let u = t[0].wrapping_mul(self.m_inv);
            let mut carry = (u64::from(t[0]) + u64::from(u) * u64::from(m[0])) >> 32;
            for j in 1..k {
                let sum = u64::from(t[j]) + u64::from(u) * u64::from(m[j]) + carry;
                t[j - 1] = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[k]) + carry;
            t[k - 1] = sum as u32;
            t[k] = t[k + 1] + (sum >> 32) as u32;
        }
        // The result is below 2m: one subtraction at most.
        if t[k] != 0 || cmp(&t[..k], m) != Ordering::Less {
            sub_in_place(&mut t[..=k], m);
        }
        out.copy_from_slice(&t[..k]);
    }

    /// `x` as `k` limbs, for `x < m`.
    fn limbs(&self, x: &Nat) -> Vec<u32> {
        let mut limbs = x.0.clone();
        limbs.resize(self.m.len(), 0);
        limbs
    }

    /// `a b mod m`, for `a, b < m`.
    fn mul(&self, a: &Nat, b: &Nat) -> Nat {
        let k = self.m.len();
        let (mut t, mut ab, mut out) = (vec![0; k + 2], vec![0; k], vec![0; k]);
        self.product(&self.limbs(a), &self.limbs(b), &mut t, &mut ab);
        self.product(&ab, &self.r2, &mut t, &mut out);
        Nat(out).normalized()
    }

    /// `base^exponent mod m`, for `base < m`: left to right, four bits of
    /// the exponent at a time.
    fn pow(&self, base: &Nat, exponent: &Nat) -> Nat {
        let k = self.m.len();
        let mut t = vec![0; k + 2];
        let mut one = vec![0; k];
        one[0] = 1;
        // table[i] is base^i in Montgomery form.
        let mut table = vec![vec![0; k]; 16];
        self.product(&one, &self.r2, &mut t, &mut table[0]);
        self.product(&self.limbs(base), &self.r2, &mut t, &mut table[1]);
        for i in 2..16 {
            let (done, rest) = table.split_at_mut(i);
            self.product(&done[i - 1], &done[1], &mut t, &mut rest[0]);
        }
        let mut acc = table[0].clone();
        let mut scratch = vec![0; k];
        let nibbles = exponent.bits().div_ceil(4);
        for n in (0..nibbles).rev() {
            for _ in 0..4 {
                self.product(&acc, &acc, &mut t, &mut scratch);
                std::mem::swap(&mut acc, &mut scratch);
            }
            let digit = (0..4).fold(0, |d, b| d | usize::from(exponent.bit(4 * n + b)) << b);
            if digit != 0 {
                self.product(&acc, &table[digit], &mut t, &mut scratch);
                std::mem::swap(&mut acc, &mut scratch);
            }
        }
        self.product(&acc, &one, &mut t, &mut scratch);
        Nat(scratch).normalized()
    }
}

/// An RSA public key (RFC 8017 section 3.1).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    n: Nat,
    e: Nat,
    modulus: Montgomery,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rs256::PublicKey({} bits)", self.n.bits())
    }
}

impl PublicKey {
    /// From the big-endian octets of `n` and `e` (a JWK's, RFC 7518
    /// section 6.3.1), or why they are not a public key.
    pub fn new(n: &[u8], e: &[u8]) -> Result<Self, String> {
        let (n, e) = (Nat::from_be_bytes(n), Nat::from_be_bytes(e));
        if n.bits() > MAX_MODULUS_BITS {
            return Err("\"n\" is longer than 4096 bits".to_owned());
        }
        if n.bits() < MIN_MODULUS_BITS {
            return Err("\"n\" is shorter than 512 bits".to_owned());
        }
        // RFC 8017 section 3.1: e is odd (it is coprime to the even
        // lambda(n)) and at least 3; n is a product of odd primes.
        if !e.is_odd() || e.bits() < 2 || e >= n {
            return Err("\"e\" is not an odd number from 3 to n - 1".to_owned());
        }
        let modulus = Montgomery::new(&n).ok_or_else(|| "\"n\" is even".to_owned())?;
        Ok(Self { n, e, modulus })
    }

    pub fn n(&self) -> Vec<u8> {
        self.n.to_minimal_be_bytes()
    }

    pub fn e(&self) -> Vec<u8> {
        self.e.to_minimal_be_bytes()
    }

    /// The modulus's length in octets, `k` in RFC 8017.
    fn len(&self) -> usize {
        self.n.bits().div_ceil(8)
    }

    /// RFC 8017 section 8.2.2: whether `signature` is this key's RS256
    /// signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let k = self.len();
        // Step 1: the signature is exactly k octets; step 2.b (RSAVP1,
        // section 5.2.2): as a number, below n.
        if signature.len() != k {
            return false;
        }
        let s = Nat::from_be_bytes(signature);
        if s >= self.n {
            return false;
        }
        let m = self.modulus.pow(&s, &self.e);
        // Steps 3 and 4: compare with the encoding of the message.
        m.to_be_bytes(k) == encoded_message(message, k)
    }
}

/// RFC 8017 section 9.2, EMSA-PKCS1-v1_5-ENCODE with SHA-256:
/// `0x00 0x01 PS 0x00 T`, PS being 0xff octets, T the DigestInfo and the
/// hash. A key's `k` is at least 64 (`MIN_MODULUS_BITS`), which leaves
/// PS the 8 octets or more it must have.
fn encoded_message(message: &[u8], k: usize) -> Vec<u8> {
    let hash = Sha256::digest(message);
    let t_len = SHA256_DIGEST_INFO.len() + hash.len();
    let ps_len = k.saturating_sub(t_len + 3);
    let mut em = Vec::with_capacity(k);
    em.extend([0x00, 0x01]);
    em.extend(std::iter::repeat_n(0xff, ps_len));
    em.push(0x00);
    em.extend(SHA256_DIGEST_INFO);
    em.extend(hash);
    em
}

/// An RSA private key in the form RFC 8017 section 3.2 calls the second
/// one (primes and CRT exponents), which signs four times faster than `d`.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    public: PublicKey,
    q: Nat,
    dp: Nat,
    dq: Nat,
    qi: Nat,
    mod_p: Montgomery,
    mod_q: Montgomery,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rs256::PrivateKey({} bits)", self.public.n.bits())
    }
}

/// The octets of a private key's numbers, as a JWK has them (RFC 7518
/// section 6.3.2).
pub struct PrivateParts<'a> {
    pub n: &'a [u8],
    pub e: &'a [u8],
    pub p: &'a [u8],
    pub q: &'a [u8],
    pub dp: &'a [u8],
    pub dq: &'a [u8],
    pub qi: &'a [u8],
}

impl PrivateKey {
    /// The key, or why its numbers do not make one.
    pub fn new(parts: &PrivateParts<'_>) -> Result<Self, String> {
        let public = PublicKey::new(parts.n, parts.e)?;
        let number = Nat::from_be_bytes;
        let (p, q) = (number(parts.p), number(parts.q));
        let (dp, dq, qi) = (number(parts.dp), number(parts.dq), number(parts.qi));
        // Section 3.2: n = p q, and each CRT number is below its prime.
        if p.times(&q) != public.n {
            return Err("\"p\" times \"q\" is not \"n\"".to_owned());
        }
        if dp >= p || dq >= q || qi >= p {
            return Err(
                "\"dp\", \"dq\" and \"qi\" are not below \"p\", \"q\" and \"p\"".to_owned(),
            );
        }
        let mod_p = Montgomery::new(&p).ok_or_else(|| "\"p\" is even".to_owned())?;
        let mod_q = Montgomery::new(&q).ok_or_else(|| "\"q\" is even".to_owned())?;
        Ok(Self {
            public,
            q,
            dp,
            dq,
            qi,
            mod_p,
            mod_q,
        })
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// RFC 8017 section 8.2.1: the RS256 signature of `message`, `k`
    /// octets.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let k = self.public.len();
        let m = Nat::from_be_bytes(&encoded_message(message, k));
        // Section 5.1.2, RSASP1 with the CRT, step 2.b: s1 = m^dP mod p,
        // s2 = m^dQ mod q, h = (s1 - s2) qInv mod p, s = s2 + q h.
        let p = Nat(self.mod_p.m.clone());
        let s1 = self.mod_p.pow(&m.rem(&p), &self.dp);
        let s2 = self.mod_q.pow(&m.rem(&self.q), &self.dq);
        let s2_mod_p = s2.rem(&p);
        let difference = if s1 >= s2_mod_p {
            s1.minus(&s2_mod_p)
        } else {
            s1.plus(&p).minus(&s2_mod_p)
        };
        let h = self.mod_p.mul(&difference, &self.qi);
        s2.plus(&self.q.times(&h)).to_be_bytes(k)
    }
}
