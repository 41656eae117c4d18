//! Typed values read straight from the canonical reader's events, without building JSON first.
//!
//! Reading an entry the long way builds a JSON tree and then converts it; for the canonical
//! subset this does the same in one step, a few times faster. It must agree with the long way
//! on every text it accepts, so it accepts only what it is sure of: a text the canonical reader
//! handles, with no duplicate key, that fits the type. On anything else it gives up and the
//! caller goes the long way, which also words any error.

use std::borrow::Cow;
use std::vec::IntoIter;

use saphyr_parser::{Event, ScalarStyle};
use serde::de::value::{Error, StrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};

use super::{Plain, canonical};
use crate::catalogue::diagnostic::Position;

/// `text` as a `T`, when the canonical reader handles it, no mapping repeats a key and the
/// value fits `T`; otherwise `None`.
pub fn from_canonical<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut events = canonical::events(text)?.into_iter();
    // The first event starts the document.
    events.next()?;
    let mut reader = Events {
        events: events.peekable(),
    };
    let value = T::deserialize(&mut reader).ok()?;
    reader.events.next().is_none().then_some(value)
}

struct Events<'a> {
    events: std::iter::Peekable<IntoIter<(Event<'a>, Position)>>,
}

impl<'a> Events<'a> {
    fn next(&mut self) -> Result<Event<'a>, Error> {
        self.events
            .next()
            .map(|(event, _)| event)
            .ok_or_else(|| de::Error::custom("the document ended early"))
    }

    /// Whether the next event is a plain scalar that means null.
    fn null_is_next(&mut self) -> bool {
        matches!(
            self.events.peek(),
            Some((Event::Scalar(text, ScalarStyle::Plain, ..), _)) if Plain::of(text) == Plain::Null
        )
    }
}

/// Hand a scalar to `visitor` as the long way would: plain scalars as what they mean, others
/// as text.
fn visit_scalar<'de, V: Visitor<'de>>(
    text: Cow<'_, str>,
    style: ScalarStyle,
    visitor: V,
) -> Result<V::Value, Error> {
    let meaning = if style == ScalarStyle::Plain {
        Plain::of(&text)
    } else {
        Plain::Text
    };
    match meaning {
        Plain::Null => visitor.visit_unit(),
        Plain::Bool(b) => visitor.visit_bool(b),
        Plain::Int(n) => match u64::try_from(n) {
            Ok(n) => visitor.visit_u64(n),
            Err(_) => visitor.visit_i64(n),
        },
        Plain::Float(n) => visitor.visit_f64(n),
        Plain::Text => match text {
            Cow::Borrowed(text) => visitor.visit_str(text),
            Cow::Owned(text) => visitor.visit_string(text),
        },
    }
}

impl<'de> Deserializer<'de> for &mut Events<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.next()? {
            Event::Scalar(text, style, ..) => visit_scalar(text, style, visitor),
            Event::SequenceStart(..) => {
                let mut sequence = Sequence {
                    events: self,
                    ended: false,
                };
                let value = visitor.visit_seq(&mut sequence)?;
                finished(sequence.ended, value)
            }
            Event::MappingStart(..) => {
                let mut mapping = Mapping {
                    events: self,
                    keys: Vec::new(),
                    ended: false,
                };
                let value = visitor.visit_map(&mut mapping)?;
                finished(mapping.ended, value)
            }
            _ => Err(de::Error::custom("unexpected event")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.null_is_next() {
            self.next()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Only unit variants, written as text (all an entry has).
        match self.next()? {
            Event::Scalar(text, style, ..)
                if style != ScalarStyle::Plain || Plain::of(&text) == Plain::Text =>
            {
                match text {
                    Cow::Borrowed(text) => {
                        let text: StrDeserializer<'_, Error> = text.into_deserializer();
                        visitor.visit_enum(text)
                    }
                    Cow::Owned(text) => {
                        let text: StringDeserializer<Error> = text.into_deserializer();
                        visitor.visit_enum(text)
                    }
                }
            }
            _ => Err(de::Error::custom("not a unit variant")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// A collection's value, once the visitor has read it to its end (as the long way insists).
fn finished<T>(ended: bool, value: T) -> Result<T, Error> {
    if ended {
        Ok(value)
    } else {
        Err(de::Error::custom("items left over"))
    }
}

struct Sequence<'r, 'a> {
    events: &'r mut Events<'a>,
    ended: bool,
}

impl<'de> de::SeqAccess<'de> for &mut Sequence<'_, '_> {
    type Error = Error;

    fn next_element_seed<S: de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        // A visitor may ask again after the end (serde's derived structs do, once per field
        // they still lack): the sequence stays ended rather than reading on into its parent.
        if self.ended {
            return Ok(None);
        }
        if matches!(self.events.events.peek(), Some((Event::SequenceEnd, _))) {
            self.events.next()?;
            self.ended = true;
            return Ok(None);
        }
        seed.deserialize(&mut *self.events).map(Some)
    }
}

struct Mapping<'r, 'a> {
    events: &'r mut Events<'a>,
    /// The keys read so far: a repeated one is left to the long way, which reports it.
    keys: Vec<Cow<'a, str>>,
    ended: bool,
}

impl<'de> de::MapAccess<'de> for &mut Mapping<'_, '_> {
    type Error = Error;

    fn next_key_seed<S: de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        if self.ended {
            return Ok(None);
        }
        match self.events.next()? {
            Event::MappingEnd => {
                self.ended = true;
                Ok(None)
            }
            Event::Scalar(key, ..) => {
                if self.keys.contains(&key) {
                    return Err(de::Error::custom("a repeated key"));
                }
                let value = seed.deserialize(StrDeserializer::<Error>::new(&key))?;
                self.keys.push(key);
                Ok(Some(value))
            }
            _ => Err(de::Error::custom("a key that is not text")),
        }
    }

    fn next_value_seed<S: de::DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(&mut *self.events)
    }
}
