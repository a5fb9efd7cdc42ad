//! Base64url (RFC 4648 section 5, without padding as RFC 7515 section 2
//! requires).

/// Strict base64url without padding: `=`, `+`, `/` and white space are
/// refused, as RFC 7515 section 2 requires, and so are a length no encoder
/// produces and leftover bits that are not zero.
pub fn b64_decode(text: &str) -> Result<Vec<u8>, NotBase64Url> {
    let mut bytes = Vec::new();
    b64_decode_into(text, &mut bytes)?;
    Ok(bytes)
}

/// Text that [`b64_decode`] refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotBase64Url;

/// [`b64_decode`] into `out`, replacing what it held (left empty on error),
/// so that one buffer can serve several decodings.
///
/// By hand rather than with the base64 crate: in the app's size-optimized
/// build (opt-level "z") its decoder is about three times slower than this
/// loop, and the JWT debugger decodes every part of the token on every
/// keystroke.
pub fn b64_decode_into(text: &str, out: &mut Vec<u8>) -> Result<(), NotBase64Url> {
    let (quads, rest) = text.as_bytes().as_chunks::<4>();
    let tail_len = tail_bytes(rest.len())?;
    out.clear();
    out.resize(quads.len() * 3 + tail_len, 0);
    let (triples, tail) = out.as_chunks_mut::<3>();
    // Any character outside the alphabet sets the top bits; checked once
    // at the end to keep the loop short.
    let mut seen = 0;
    for (&[a, b, c, d], triple) in quads.iter().zip(triples) {
        let [a, b, c, d] = [sextet(a), sextet(b), sextet(c), sextet(d)];
        seen |= a | b | c | d;
        let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        *triple = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    }
    let mut n = 0u32;
    for &c in rest {
        let sextet = sextet(c);
        seen |= sextet;
        n = n << 6 | u32::from(sextet);
    }
    let spare = spare_bits(rest.len());
    if seen & 0xC0 != 0 || n & ((1 << spare) - 1) != 0 {
        out.clear();
        return Err(NotBase64Url);
    }
    for (i, byte) in tail.iter_mut().enumerate() {
        *byte = (n >> (spare + 8 * (tail_len - 1 - i))) as u8;
    }
    Ok(())
}

/// Whether [`b64_decode`] would accept `text`, without decoding it: for a
/// signature, whose bytes mean nothing until a key checks them.
pub fn is_b64url(text: &str) -> bool {
    let bytes = text.as_bytes();
    let seen = bytes.iter().fold(0, |seen, &c| seen | sextet(c));
    let rest = bytes.len() % 4;
    let last = bytes.last().map_or(0, |&c| sextet(c));
    tail_bytes(rest).is_ok() && seen & 0xC0 == 0 && last & ((1 << spare_bits(rest)) - 1) == 0
}

/// How many bytes the 0 to 3 characters after the last whole group of 4
/// carry: 2 or 3 characters carry 1 or 2 bytes; 1 character, none, and no
/// encoder ends that way.
fn tail_bytes(rest: usize) -> Result<usize, NotBase64Url> {
    match rest {
        0 => Ok(0),
        1 => Err(NotBase64Url),
        n => Ok(n - 1),
    }
}

/// The bits past the last whole byte, which must be zero: 4 after 2
/// leftover characters, 2 after 3, none otherwise.
fn spare_bits(rest: usize) -> usize {
    rest * 6 % 8
}

/// A character's value in the base64url alphabet (RFC 4648 section 5),
/// 0xFF for the characters outside it.
fn sextet(c: u8) -> u8 {
    B64URL[usize::from(c)]
}

static B64URL: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut values = [0xFF; 256];
    let mut i = 0;
    while i < alphabet.len() {
        values[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    values
};
