//! The postings codec: which entries hold a word, and how often in each field, in a few bytes
//! per entry. A term's postings are its entries in increasing order, each written as the
//! difference from the previous entry (a varint), a byte whose bits say which fields hold the
//! word, and a varint count for each of those fields.

use super::ranking::FIELD_COUNT;

/// One posting: an entry and how often the term occurs in each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Index of the entry in the index's entries.
    pub entry: u32,
    /// Occurrences per field.
    pub counts: [u16; FIELD_COUNT],
}

/// Append a posting for an entry `delta` after the previous one (or after 0, for the first).
pub fn push_posting(out: &mut Vec<u8>, delta: u32, counts: &[u16; FIELD_COUNT]) {
    write_varint(out, delta);
    let mask = counts
        .iter()
        .enumerate()
        .fold(0u8, |m, (f, c)| if *c > 0 { m | (1 << f) } else { m });
    out.push(mask);
    for count in counts.iter().filter(|c| **c > 0) {
        write_varint(out, u32::from(*count));
    }
}

/// Decode a postings list: entry deltas, a field mask, then a count per field in the mask.
/// Stops at the first malformed byte rather than panicking (a corrupt cache is rebuilt).
pub fn decode_postings(bytes: &[u8]) -> Vec<Posting> {
    let mut postings = Vec::new();
    let mut at = 0;
    let mut entry = 0u32;
    while at < bytes.len() {
        let Some(delta) = read_varint(bytes, &mut at) else {
            break;
        };
        let Some(&mask) = bytes.get(at) else { break };
        at += 1;
        entry = entry.saturating_add(delta);
        let mut counts = [0u16; FIELD_COUNT];
        for (field, count) in counts.iter_mut().enumerate() {
            if mask & (1 << field) != 0 {
                let Some(n) = read_varint(bytes, &mut at) else {
                    return postings;
                };
                *count = u16::try_from(n).unwrap_or(u16::MAX);
            }
        }
        postings.push(Posting { entry, counts });
    }
    postings
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push(u8::try_from(value & 0x7F).unwrap_or_default() | 0x80);
        value >>= 7;
    }
    out.push(u8::try_from(value).unwrap_or_default());
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7F).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_postings_round_trip() {
        let mut blob = Vec::new();
        for value in [0, 1, 127, 128, 300, u32::MAX] {
            write_varint(&mut blob, value);
        }
        let mut at = 0;
        let read: Vec<u32> = std::iter::from_fn(|| read_varint(&blob, &mut at)).collect();
        assert_eq!(read, [0, 1, 127, 128, 300, u32::MAX]);
        // Truncated or garbage postings decode to what is well-formed, never panic.
        assert!(decode_postings(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).is_empty());
    }

    #[test]
    fn postings_encode_as_documented() {
        let mut bytes = Vec::new();
        push_posting(&mut bytes, 3, &[2, 0, 0, 0, 0, 0, 1]);
        push_posting(&mut bytes, 200, &[0, 1, 0, 0, 0, 0, 0]);
        // delta 3, fields 0 and 6, counts 2 and 1; delta 200 (two bytes), field 1, count 1.
        assert_eq!(bytes, [3, 0b100_0001, 2, 1, 0xC8, 0x01, 0b10, 1]);
        assert_eq!(
            decode_postings(&bytes),
            [
                Posting {
                    entry: 3,
                    counts: [2, 0, 0, 0, 0, 0, 1]
                },
                Posting {
                    entry: 203,
                    counts: [0, 1, 0, 0, 0, 0, 0]
                }
            ]
        );
    }
}
