//! The bytes of an index and of its phrase file, as a build writes them and a search views
//! them (a fresh build is viewed through its bytes too, so both paths run the same code).
//!
//! Each file is `magic (8) | key (8, little-endian) | xxh3-64 of the payload (8, little-endian)
//! | payload`, the payload a postcard encoding of [`IndexData`] or [`PhraseData`]. The key says
//! which files, names and build of nsi the index was made from (`super::key`); the checksum
//! makes any damaged byte, not only a truncation, a reason to rebuild.

use serde::{Deserialize, Serialize};

/// Bumped whenever the layout of the cache changes (it is part of the cache key).
pub const FORMAT_VERSION: u32 = 4;

/// The first bytes of an index file.
pub const MAGIC: [u8; 8] = *b"NSIIDX\0\x02";

/// The first bytes of a phrase file.
pub const PHRASE_MAGIC: [u8; 8] = *b"NSIPHR\0\x02";

/// The length of the header before the payload: magic, key, checksum.
pub const HEADER_LEN: usize = 24;

/// How many entries are encoded together in one block of the index.
pub const ENTRY_BLOCK: usize = 1024;

/// The serialized form of an index. `S` is the string type, `B` the byte-blob type.
#[derive(Debug, Serialize, Deserialize)]
pub struct IndexData<S, B> {
    /// The key the index was built under (0 for an index that is never saved).
    pub key: u64,
    /// How many entry files the catalogue holds, readable or not: the number rarity is
    /// measured against. An index built from some of the files still counts them all.
    pub catalogue_files: u32,
    /// The entries, [`ENTRY_BLOCK`] at a time, each block a postcard-encoded
    /// `Vec<IndexedEntry>`, so that blocks are decoded on every core.
    pub entry_blocks: Vec<B>,
    /// Files that could not be read as entries (run `nsi validate` to see why).
    pub skipped: Vec<S>,
    /// The vocabulary, sorted.
    pub terms: Vec<S>,
    /// Number of entries containing each term.
    pub document_frequency: Vec<u32>,
    /// Every term's postings (`super::postings`), one after the other;
    /// `offsets[i]..offsets[i + 1]`.
    pub postings: B,
    /// Where each term's postings start, and the end of the last.
    pub offsets: Vec<u32>,
}

/// Each entry's folded words, one line per item of each field, for phrase matching. Kept in a
/// file of its own, read only when a query has a phrase, so that ordinary searches read less.
#[derive(Debug, Serialize, Deserialize)]
pub struct PhraseData<S> {
    /// The key of the index these phrases belong to.
    pub key: u64,
    /// Entry `i`'s text is `text[offsets[i]..offsets[i + 1]]`.
    pub offsets: Vec<u32>,
    /// Every entry's text, one after the other.
    pub text: S,
}

/// `magic | key | xxh3 checksum of the payload | payload`, serialised in place.
pub fn with_header<T: Serialize>(magic: [u8; 8], key: u64, value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&magic);
    bytes.extend_from_slice(&key.to_le_bytes());
    bytes.extend_from_slice(&[0; 8]);
    let mut bytes = postcard::to_extend(value, bytes).unwrap_or_default();
    if bytes.len() >= HEADER_LEN {
        let checksum = xxhash_rust::xxh3::xxh3_64(&bytes[HEADER_LEN..]);
        bytes[16..HEADER_LEN].copy_from_slice(&checksum.to_le_bytes());
    }
    bytes
}

/// The key in a file's header, without reading further.
pub fn header_key(bytes: &[u8], magic: [u8; 8]) -> Option<u64> {
    let field = bytes.strip_prefix(&magic[..])?.get(..8)?;
    Some(u64::from_le_bytes(field.try_into().ok()?))
}

/// The key and payload of a file whose checksum holds: any damaged byte, not only a
/// truncation, makes the file unusable (and so rebuilt).
pub fn checked_payload(bytes: &[u8], magic: [u8; 8]) -> Option<(u64, &[u8])> {
    let rest = bytes.strip_prefix(&magic[..])?;
    let key = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
    let checksum = u64::from_le_bytes(rest.get(8..16)?.try_into().ok()?);
    let payload = rest.get(16..)?;
    (xxhash_rust::xxh3::xxh3_64(payload) == checksum).then_some((key, payload))
}

/// The payload of an index's bytes (whose checksum was verified when they were loaded, or
/// which were just built).
pub fn payload(bytes: &[u8]) -> Option<&[u8]> {
    bytes.get(HEADER_LEN..)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact bytes of a phrase file: a change to the header's layout, the checksum or the
    /// payload's encoding shows here (and must come with a new [`FORMAT_VERSION`]).
    #[test]
    fn a_phrase_file_has_these_exact_bytes() {
        let data = PhraseData {
            key: 0x0123_4567_89AB_CDEF,
            offsets: vec![0, 4, 9],
            text: "case\nfile\n",
        };
        let bytes = with_header(PHRASE_MAGIC, data.key, &data);
        let expected: &[u8] = &[
            b'N', b'S', b'I', b'P', b'H', b'R', 0, 2, // magic
            0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01, // key
            0xC6, 0x12, 0x66, 0x44, 0xD9, 0xAF, 0x85, 0x8E, // xxh3-64 of the payload
            0xEF, 0x9B, 0xAF, 0xCD, 0xF8, 0xAC, 0xD1, 0x91, 0x01, // key, varint
            3, 0, 4, 9, // offsets
            10, b'c', b'a', b's', b'e', b'\n', b'f', b'i', b'l', b'e', b'\n', // text
        ];
        assert_eq!(bytes, expected, "{bytes:02X?}");
        assert_eq!(header_key(&bytes, PHRASE_MAGIC), Some(data.key));
        let (key, payload) = checked_payload(&bytes, PHRASE_MAGIC).expect("checksum holds");
        assert_eq!(key, data.key);
        let read: PhraseData<&str> = postcard::from_bytes(payload).expect("decodes");
        assert_eq!((read.offsets, read.text), (data.offsets, data.text));
    }

    #[test]
    fn a_damaged_byte_or_another_magic_fails_the_check() {
        let bytes = with_header(
            MAGIC,
            7,
            &PhraseData {
                key: 7,
                offsets: vec![0],
                text: "",
            },
        );
        assert!(checked_payload(&bytes, MAGIC).is_some());
        assert!(checked_payload(&bytes, PHRASE_MAGIC).is_none());
        for at in 8..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            let key_changed = (8..16).contains(&at);
            assert_eq!(
                checked_payload(&damaged, MAGIC).is_some(),
                key_changed,
                "byte {at}: the key is not checksummed, everything after it is"
            );
        }
        assert!(checked_payload(&bytes[..HEADER_LEN - 1], MAGIC).is_none());
    }
}
