//! The lenient field types read straight from a [`JsonReader`]: each
//! gives what the serde reader of the same type gives (`feed::oracle`).

use super::{JsonNumber, JsonReader, Read, Value};
use crate::lenient::{
    clip_cow, flag_from_text, id_from_float, id_from_text, is_name_key, kept_name,
    number_from_text, Label, LabelKey,
};
use std::borrow::Cow;

impl<'a> JsonReader<'a> {
    /// As `BorrowedText`: strings (clipped), numbers and booleans as text.
    pub fn text(&mut self) -> Read<Option<Cow<'a, str>>> {
        let value = self.value()?;
        Ok(match value {
            Value::Str(text) => Some(clip_cow(text)),
            Value::Number(number) => Some(Cow::Owned(number.to_text())),
            Value::Bool(flag) => Some(Cow::Owned(flag.to_string())),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Number`: numbers and numeric strings, finite only.
    pub fn number_field(&mut self) -> Read<Option<f64>> {
        let value = self.value()?;
        Ok(match value {
            Value::Number(number) => Some(number.as_f64()),
            Value::Str(text) => number_from_text(&text),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Id`: non-negative integers below 2^53 when written as floats,
    /// digit strings.
    pub fn id(&mut self) -> Read<Option<u64>> {
        let value = self.value()?;
        Ok(match value {
            Value::Number(JsonNumber::Unsigned(n)) => Some(n),
            Value::Number(JsonNumber::Signed(n)) => u64::try_from(n).ok(),
            Value::Number(JsonNumber::Float(v)) => id_from_float(v),
            Value::Str(text) => id_from_text(&text),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Flag`: booleans, 0 and 1, and their usual spellings as text.
    pub fn flag(&mut self) -> Read<Option<bool>> {
        let value = self.value()?;
        Ok(match value {
            Value::Bool(flag) => Some(flag),
            Value::Number(JsonNumber::Unsigned(0)) => Some(false),
            Value::Number(JsonNumber::Unsigned(1)) => Some(true),
            Value::Number(_) => None,
            Value::Str(text) => flag_from_text(&text),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Names`: a list of names or of objects with a name-like key, or
    /// one bare string or object.
    pub fn names(&mut self) -> Read<Vec<Cow<'a, str>>> {
        let mut names = Vec::new();
        match self.value()? {
            Value::Str(text) => names.extend(kept_name(clip_cow(text))),
            Value::ObjectStart => names.extend(self.name_in_object()?.and_then(kept_name)),
            Value::ArrayStart => self.elements(|reader| {
                let value = reader.value()?;
                let name = match value {
                    Value::Str(text) => Some(clip_cow(text)),
                    Value::Number(number) => Some(Cow::Owned(number.to_text())),
                    Value::ObjectStart => reader.name_in_object()?,
                    other => {
                        reader.drain(other)?;
                        None
                    }
                };
                names.extend(name.and_then(kept_name));
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(names)
    }

    /// The first non-null name-like value of an object.
    fn name_in_object(&mut self) -> Read<Option<Cow<'a, str>>> {
        let mut found = None;
        self.entries(|reader, key| {
            let value = reader.text()?;
            if found.is_none() && is_name_key(&clip_cow(key)) {
                found = value;
            }
            Ok(())
        })?;
        Ok(found)
    }

    /// As `Labels`: a list of names or of `{name, catno}` objects, or one of them.
    pub fn labels(&mut self) -> Read<Vec<Label<'a>>> {
        let mut labels = Vec::new();
        match self.value()? {
            Value::Str(text) => labels.push((clip_cow(text), None)),
            Value::ObjectStart => labels.extend(self.label_object()?),
            Value::ArrayStart => self.elements(|reader| {
                let label = match reader.value()? {
                    Value::Str(text) => Some((clip_cow(text), None)),
                    Value::ObjectStart => reader.label_object()?,
                    other => {
                        reader.drain(other)?;
                        None
                    }
                };
                labels.extend(label.filter(|(name, _)| !name.trim().is_empty()));
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(labels)
    }

    fn label_object(&mut self) -> Read<Option<Label<'a>>> {
        let (mut name, mut catno) = (None, None);
        self.entries(|reader, key| {
            let value = reader.text()?;
            match LabelKey::of(&clip_cow(key)) {
                LabelKey::Name => name = name.take().or(value),
                LabelKey::CatalogueNumber => catno = catno.take().or(value),
                LabelKey::Other => {}
            }
            Ok(())
        })?;
        Ok(name.map(|name| (name, catno)))
    }

    /// As `Options`: a list of `{name, value}` objects or a `{name: value}` map.
    pub fn options(&mut self) -> Read<Vec<(Cow<'a, str>, Cow<'a, str>)>> {
        let mut options = Vec::new();
        match self.value()? {
            Value::ArrayStart => self.elements(|reader| {
                let pair = reader.object(|reader| {
                    let (mut name, mut value) = (None, None);
                    reader.fields(|reader, key| {
                        Ok(match key {
                            "name" => {
                                name = reader.text()?;
                                Some(0)
                            }
                            "value" => {
                                value = reader.text()?;
                                Some(1)
                            }
                            _ => None,
                        })
                    })?;
                    Ok(name.zip(value))
                })?;
                options.extend(pair.flatten());
                Ok(())
            })?,
            Value::ObjectStart => self.entries(|reader, key| {
                let value = reader.text()?;
                options.extend(value.map(|value| (clip_cow(key), value)));
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(options)
    }

    /// As `Object<T>`: reads an object with `read` (inside it); any other
    /// value is absent.
    pub fn object<T>(&mut self, read: impl FnOnce(&mut Self) -> Read<T>) -> Read<Option<T>> {
        match self.value()? {
            Value::ObjectStart => read(self).map(Some),
            other => {
                self.drain(other)?;
                Ok(None)
            }
        }
    }

    /// As `List<T>`: the objects of a list, each read with `read`; other
    /// elements are skipped, and a value that is not a list is empty.
    pub fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        let mut out = Vec::new();
        match self.value()? {
            Value::ArrayStart => self.elements(|reader| {
                out.extend(reader.object(&mut read)?);
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(out)
    }
}
