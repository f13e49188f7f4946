//! One analyzer for every language in a community. Each token is normalised
//! and stemmed by its script, the same way at index and query time, so no
//! per-document language guess can make a query miss:
//! - Persian/Arabic: Arabic ي/ى/ك become Persian ی/ک, ZWNJ and harakat and
//!   tatweel are removed, Persian and Arabic-Indic digits become ASCII;
//! - Latin: English Snowball stemmer, then accents folded (café → cafe);
//! - Cyrillic: Russian Snowball stemmer (ё → е), or a light Ukrainian suffix
//!   stripper when the word has a letter only Ukrainian uses (і ї є ґ).

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{AsciiFoldingFilter, TextAnalyzer, Token, TokenStream, Tokenizer};

pub const ANALYZER: &str = "hearth";

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(HearthTokenizer::default())
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzer's tokens of `text`, in order: what the index would hold.
/// Other parts of Hearth (the spam classifier) use it so that a word in
/// any of the community's languages counts the same way as in search.
pub fn tokens(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn english() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

fn russian() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

/// Characters that vanish inside words rather than split them.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200C}' | '\u{200D}' | '\u{00AD}' | '\u{0640}' | '\u{FEFF}'
    ) || ('\u{064B}'..='\u{065F}').contains(&c)
        || c == '\u{0670}'
}

/// Map one character to its searchable form (already lower-cased).
fn normalise(c: char, out: &mut String) {
    match c {
        '\u{064A}' | '\u{0649}' => out.push('\u{06CC}'), // ي ى → ی
        '\u{0643}' => out.push('\u{06A9}'),              // ك → ک
        '\u{06F0}'..='\u{06F9}' => out.push((b'0' + (c as u32 - 0x06F0) as u8) as char),
        '\u{0660}'..='\u{0669}' => out.push((b'0' + (c as u32 - 0x0660) as u8) as char),
        'ё' | 'Ё' => out.push('е'),
        _ => {
            for l in c.to_lowercase() {
                match fold_latin(l) {
                    Some(f) => out.push_str(f),
                    None => out.push(l),
                }
            }
        }
    }
}

/// Accented Latin letters to ASCII, before stemming (so "résumé" and
/// "resume" stem alike). Rarer ones are caught by AsciiFoldingFilter after.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ť' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Other,
}

fn script_of(word: &str) -> Script {
    for c in word.chars() {
        if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            return Script::Latin;
        }
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            return Script::Cyrillic;
        }
    }
    Script::Other
}

const UKRAINIAN_SUFFIXES: &[&str] = &[
    "ться", "ами", "ями", "ові", "еві", "ого", "ому", "ими", "ах", "ях", "ом", "ем", "ою", "ею",
    "ів", "ій", "ий", "ої", "их", "а", "я", "у", "ю", "і", "и", "о", "е", "ї",
];

fn stem_ukrainian(word: &str) -> String {
    for suffix in UKRAINIAN_SUFFIXES {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().count() >= 3 {
                return stem.to_string();
            }
        }
    }
    word.to_string()
}

/// Normalise, lower-case and stem one word as the index and queries see it.
pub fn normalise_word(raw: &str) -> String {
    let mut word = String::with_capacity(raw.len());
    for c in raw.chars().filter(|c| !is_invisible(*c)) {
        normalise(c, &mut word);
    }
    match script_of(&word) {
        Script::Latin => english().stem(&word).into_owned(),
        Script::Cyrillic if word.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ')) => {
            stem_ukrainian(&word)
        }
        Script::Cyrillic => russian().stem(&word).into_owned(),
        Script::Other => word,
    }
}

/// Persian bound morphemes that writers attach with ZWNJ, with a space or
/// with nothing: verb prefixes (می‌شود, نمی‌دانم) and plural, comparative
/// and possessive suffixes (کتاب‌ها, بزرگ‌تر, کتاب‌هایم). All three
/// spellings must find each other: the index keeps the joined form of a
/// spaced pair as well (`HearthTokenizer`), ZWNJ vanishes inside words,
/// and queries join spaced pairs (`join_persian_morphemes`).
const PERSIAN_PREFIXES: &[&str] = &["می", "نمی", "بی"];
const PERSIAN_SUFFIXES: &[&str] = &[
    "ها",
    "های",
    "هایی",
    "هایم",
    "هایت",
    "هایش",
    "هایمان",
    "هایتان",
    "هایشان",
    "تر",
    "ترین",
    "ای",
    "اش",
    "ام",
    "ات",
    // Word-forming parts written either way (توانمند‌سازی, مصرف‌کنندگان).
    "سازی",
    "ساز",
    "کننده",
    "کنندگان",
    "گر",
    "گری",
    "مند",
    "مندی",
    "شناسی",
];

fn is_persian_word(w: &str) -> bool {
    w.chars()
        .next()
        .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Whether two Persian words written apart are one word (a bound
/// morpheme and its stem), compared in normalised form.
fn persian_pair(first: &str, second: &str) -> bool {
    is_persian_word(first)
        && is_persian_word(second)
        && (PERSIAN_PREFIXES.contains(&first) || PERSIAN_SUFFIXES.contains(&second))
}

/// A query's spaced Persian pairs ("می شود", "کتاب ها") written with ZWNJ,
/// so the query parser keeps them one word, which the analyzer joins.
pub fn join_persian_morphemes(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let prev = normalise_word(words[i - 1]);
            let this = normalise_word(w);
            out.push(if persian_pair(&prev, &this) {
                '\u{200C}'
            } else {
                ' '
            });
        }
        out.push_str(w);
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_invisible(c) || c == '\''
}

#[derive(Clone, Default)]
pub struct HearthTokenizer {
    tokens: Vec<Token>,
}

pub struct HearthTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for HearthTokenizer {
    type TokenStream<'a> = HearthTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HearthTokenStream<'a> {
        self.tokens.clear();
        // Word spans first; then tokens, adding the joined form of hyphenated
        // words ("Wi-Fi" also gives "wifi") at the first part's position.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            match (is_word_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            spans.push((s, text.len()));
        }
        let mut position = 0;
        let mut previous: Option<(usize, usize, usize)> = None; // (from, to, position)
        for (from, to) in spans {
            let raw = text[from..to].trim_matches('\'');
            if raw.is_empty() || raw.chars().all(is_invisible) {
                continue;
            }
            let term = normalise_word(raw);
            if term.is_empty() || term.len() > 80 {
                continue;
            }
            if let Some((pf, pt, pp)) = previous {
                // The joined form of "Wi-Fi" ("wifi"), and of a Persian stem
                // and its bound part written apart ("کتاب ها" → "کتابها").
                let gap = &text[pt..from];
                let separator: Option<fn(&char) -> bool> = if gap == "-" {
                    Some(|c| *c == '-')
                } else if !gap.is_empty()
                    && gap.chars().all(char::is_whitespace)
                    && persian_pair(&normalise_word(&text[pf..pt]), &term)
                {
                    Some(|c| c.is_whitespace())
                } else {
                    None
                };
                if let Some(separator) = separator {
                    let joined: String = text[pf..to].chars().filter(|c| !separator(c)).collect();
                    self.tokens.push(Token {
                        offset_from: pf,
                        offset_to: to,
                        position: pp,
                        text: normalise_word(&joined),
                        position_length: 1,
                    });
                }
            }
            self.tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: term,
                position_length: 1,
            });
            previous = Some((from, to, position));
            position += 1;
        }
        HearthTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for HearthTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The terms a text yields, for tests and for building fuzzy queries.
pub fn terms(text: &str) -> Vec<String> {
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus_line(file: &str, needle: &str) -> String {
        let path = crate::sample_corpus_dir().join(file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in {file}"))
            .to_string()
    }

    fn shares_term(query: &str, text: &str) -> bool {
        let t = terms(text);
        terms(query).iter().all(|q| t.contains(q))
    }

    #[test]
    fn tokens_are_what_the_index_holds() {
        assert_eq!(tokens("Running routers"), vec!["run", "router"]);
        assert_eq!(tokens("می\u{200C}خواهم"), tokens("میخواهم"));
    }

    #[test]
    fn english_stems_and_folds() {
        assert_eq!(terms("Installing"), terms("installed"));
        assert_eq!(terms("Café"), vec!["cafe"]);
        assert_eq!(terms("RÉSUMÉ"), terms("resume"));
        let faq = corpus_line("python-faq.en.jsonl", "Python");
        assert!(
            shares_term("programs", &faq) || shares_term("program", &faq),
            "{faq}"
        );
    }

    #[test]
    fn russian_morphology() {
        assert_eq!(terms("клиентов"), terms("клиенты"));
        assert_eq!(terms("Ёлка"), terms("елка"));
        let line = corpus_line("social-crm-004.ru.jsonl", "клиент");
        assert!(shares_term("клиентами", &line), "{line}");
    }

    #[test]
    fn ukrainian_morphology() {
        assert_eq!(terms("клієнтів"), terms("клієнти"));
        assert_eq!(terms("підприємствами"), terms("підприємство"));
        let line = corpus_line("social-crm-002.uk.jsonl", "клієнт");
        assert!(shares_term("клієнтів", &line), "{line}");
    }

    #[test]
    fn persian_compounds_keep_their_joined_form() {
        let zwnj = terms("می\u{200c}شود");
        let spaced = terms("می شود");
        let joined = terms("میشود");
        assert_eq!(zwnj, vec!["میشود"]);
        assert_eq!(joined, vec!["میشود"]);
        assert!(spaced.contains(&"میشود".to_string()), "{spaced:?}");
        assert!(spaced.contains(&"شود".to_string()), "the parts stay too");
        assert!(terms("کتاب ها").contains(&"کتابها".to_string()));
        assert!(terms("مصرف کنندگان").contains(&"مصرفکنندگان".to_string()));
        // Arabic letters fold first, then the pair joins.
        assert!(terms("سيستم هاي").contains(&"سیستمهای".to_string()));
        // Ordinary neighbours are left alone, and only Persian pairs join.
        assert_eq!(terms("مدیریت ارتباط"), vec!["مدیریت", "ارتباط"]);
        assert_eq!(terms("cheap ها").len(), 2);
    }

    #[test]
    fn queries_write_spaced_persian_pairs_as_one_word() {
        assert_eq!(join_persian_morphemes("می شود"), "می\u{200c}شود");
        assert_eq!(join_persian_morphemes("کتاب ها خوب"), "کتاب\u{200c}ها خوب");
        assert_eq!(join_persian_morphemes("router reset"), "router reset");
        assert_eq!(join_persian_morphemes("مدیریت ارتباط"), "مدیریت ارتباط");
    }

    #[test]
    fn persian_normalisation() {
        // ZWNJ: typed with it, published without it.
        assert_eq!(terms("می\u{200C}شود"), terms("میشود"));
        // Arabic yeh and kaf find Persian text.
        assert_eq!(terms("كتاب عربي"), terms("کتاب عربی"));
        // Harakat and tatweel vanish.
        assert_eq!(terms("كَتَـــب"), terms("کتب"));
        // Persian and Arabic-Indic digits are ASCII digits.
        assert_eq!(terms("۱۴۰۳"), vec!["1403"]);
        assert_eq!(terms("٢٠٢٤"), vec!["2024"]);
        let line = corpus_line("social-crm-000.fa.jsonl", "مشتری");
        assert!(shares_term("مشتري", &line), "Arabic yeh finds Persian text");
    }

    #[test]
    fn hyphenated_words_also_match_joined() {
        let t = terms("Wi-Fi drops");
        assert!(
            t.contains(&"wifi".to_string()) && t.contains(&"wi".to_string()),
            "{t:?}"
        );
        assert_eq!(terms("wifi"), vec!["wifi"]);
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "Привет, world! می\u{200C}شود";
        let mut a = analyzer();
        let mut s = a.token_stream(text);
        let mut spans = Vec::new();
        while s.advance() {
            let t = s.token();
            spans.push((&text[t.offset_from..t.offset_to], t.position));
        }
        assert_eq!(
            spans,
            vec![("Привет", 0), ("world", 1), ("می\u{200C}شود", 2)]
        );
    }
}
