//! The reader: a text's bytes (from a work-tree file, the git index or a blob of
//! history) decoded once, the same way whatever their origin, or the reason they are
//! skipped.

use crate::outcome::SkipReason;
use crate::source::{self, Language};

/// A file's text as read, and whether it stands exactly for the file's bytes.
pub struct Loaded {
    pub size: u64,
    pub encoding: source::Encoding,
    pub text: String,
    /// Set when the text is not the file's content in an encoding shush writes back.
    pub lossy: Option<Lossy>,
}

/// Why a text file is scanned but never fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lossy {
    /// Decoded from UTF-16 (announced by its BOM): exact, but never written back.
    Utf16 { big_endian: bool },
    /// Not UTF-8 (nor the encoding a Python file declares); the byte offset of the first
    /// byte that is not. Scanned for secrets only.
    NotUtf8 { at: usize },
    /// Holds a NUL byte (at this offset) in otherwise text: no parser takes it. Scanned
    /// for secrets only.
    Nul { at: usize },
}

impl Lossy {
    /// Only the secret rules run on the text (no language detector).
    pub fn secrets_only(self) -> bool {
        !matches!(self, Lossy::Utf16 { .. })
    }

    /// Why its findings have no fix.
    pub fn no_fix(self) -> &'static str {
        match self {
            Lossy::Utf16 { .. } => "the file is UTF-16, which shush does not write back",
            Lossy::NotUtf8 { .. } => "the file is not UTF-8; shush does not rewrite it",
            Lossy::Nul { .. } => "the file holds a NUL byte; shush does not rewrite it",
        }
    }

    /// What the note on the file says.
    pub fn describe(self) -> String {
        match self {
            Lossy::Utf16 { big_endian } => format!(
                "UTF-16 ({}) text: scanned, but fixes are never written to it",
                if big_endian {
                    "big-endian"
                } else {
                    "little-endian"
                }
            ),
            Lossy::NotUtf8 { at } => {
                format!("not UTF-8 (first bad byte at offset {at}): scanned for secrets only")
            }
            Lossy::Nul { at } => {
                format!("holds a NUL byte (at offset {at}): scanned for secrets only")
            }
        }
    }
}

/// Decodes `bytes` (`size` of them on disk) as a file of `language`, or says why it is
/// skipped. Binary texts are skipped ([`source::sniff`]); any other is text, read in
/// UTF-8, in a Python file's declared encoding (PEP 263), or from UTF-16 with a BOM; text
/// that is none of these (or holds a NUL) is decoded lossily for the secret rules.
pub fn decode(
    bytes: Vec<u8>,
    size: u64,
    language: Language,
) -> Result<Loaded, (SkipReason, String)> {
    let loaded = |encoding, text, lossy| Loaded {
        size,
        encoding,
        text,
        lossy,
    };
    match source::sniff(&bytes) {
        source::Sniffed::Binary(what) => return Err((SkipReason::Binary, what.into())),
        source::Sniffed::Utf16 { big_endian } => {
            let text = source::decode_utf16(&bytes, big_endian);
            return Ok(loaded(
                source::Encoding::Utf8,
                text,
                Some(Lossy::Utf16 { big_endian }),
            ));
        }
        source::Sniffed::Text => {}
    }
    // A Python file may declare another encoding (PEP 263); it is read, and written
    // back, in that one.
    let encoding = match language {
        Language::Python => source::Encoding::declared(&bytes).unwrap_or_default(),
        _ => source::Encoding::Utf8,
    };
    let nul = memchr::memchr(0, &bytes);
    match encoding.decode(bytes) {
        Ok(text) => {
            let lossy = nul.map(|at| Lossy::Nul { at });
            Ok(loaded(encoding, text, lossy))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = source::decode_lossy(e.as_bytes());
            Ok(loaded(encoding, text, Some(Lossy::NotUtf8 { at })))
        }
    }
}
