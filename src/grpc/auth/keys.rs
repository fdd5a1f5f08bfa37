//! The API keys a server accepts: a name (for the logs) and a role each, read from a TOML key
//! file or a `name:role:key` list, and only their SHA-256 kept. [`ApiKeys::find`] hashes a
//! presented key and compares it with every stored digest in constant time, without stopping at
//! a match. Errors name the file or variable and the entry, never the key.

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};
use subtle::{ConditionallySelectable, ConstantTimeEq};

/// Shortest key accepted: a shorter one could be guessed.
pub const MIN_KEY_BYTES: usize = 16;
/// Longest key name: names go into every access-log line.
const MAX_NAME_BYTES: usize = 64;

/// What a key may do. `Admin` may do everything `Read` may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Matching and narrative queries (`counterclaim.v1`, reflection).
    Read,
    /// Also `counterclaim.admin.v1`: knowledge-base changes and feedback.
    Admin,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Admin => "admin",
        }
    }

    fn parse(text: &str) -> Option<Role> {
        match text {
            "read" => Some(Role::Read),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Role::parse(text).ok_or_else(|| format!("{text:?}: a role is read or admin"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A key the server accepts: its name, its role and the SHA-256 of the key itself.
#[derive(Clone)]
pub struct ApiKey {
    name: String,
    role: Role,
    sha256: [u8; 32],
}

impl ApiKey {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn role(&self) -> Role {
        self.role
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.name, self.role)
    }
}

/// A key file or the key list of the environment could not be read; the message names the file
/// (or variable) and the entry, never the key.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{origin}: {reason}")]
    Format { origin: String, reason: String },
    #[error("{origin}: {entry}: {reason}")]
    Entry {
        origin: String,
        entry: String,
        reason: String,
    },
}

/// The keys a server accepts.
#[derive(Clone, Debug, Default)]
pub struct ApiKeys {
    keys: Vec<ApiKey>,
}

/// One `[[key]]` of a key file.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    name: String,
    role: String,
    sha256: Option<String>,
    key: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    #[serde(default)]
    key: Vec<KeyEntry>,
}

impl ApiKeys {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ApiKey> {
        self.keys.iter()
    }

    /// Adds the keys of a TOML key file (`[[key]]` entries with `name`, `role` and `sha256` or
    /// `key`).
    pub fn add_file(&mut self, path: &Path) -> Result<(), KeysError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| KeysError::Read {
            path: origin.clone(),
            source,
        })?;
        self.add_toml(&text, &origin)
    }

    /// Adds the keys of a key file's text; `origin` names it in errors.
    pub fn add_toml(&mut self, text: &str, origin: &str) -> Result<(), KeysError> {
        let file: KeyFile = toml::from_str(text).map_err(|e| KeysError::Format {
            origin: origin.to_owned(),
            // toml's message quotes the offending line, which may hold a key: keep its first
            // line only, which says where and what.
            reason: e.message().to_owned() + &span(text, e.span()),
        })?;
        for (i, entry) in file.key.into_iter().enumerate() {
            let at = || format!("[[key]] {} ({:?})", i + 1, entry.name);
            let fail = |reason: String| KeysError::Entry {
                origin: origin.to_owned(),
                entry: at(),
                reason,
            };
            let sha256 = match (&entry.sha256, &entry.key) {
                (Some(hex), None) => parse_sha256(hex).ok_or_else(|| {
                    fail("sha256 is not 64 hexadecimal digits (a SHA-256 digest)".into())
                })?,
                (None, Some(key)) => digest_of(key).map_err(fail)?,
                _ => return Err(fail("give one of sha256 (recommended) or key".into())),
            };
            self.add(&entry.name, &entry.role, sha256).map_err(fail)?;
        }
        Ok(())
    }

    /// Adds keys from a list `name:role:key,name2:role:key2` (`COUNTERCLAIM_API_KEYS`, for
    /// container deployments); `origin` names it in errors.
    pub fn add_list(&mut self, list: &str, origin: &str) -> Result<(), KeysError> {
        for (i, item) in list.split(',').map(str::trim).enumerate() {
            if item.is_empty() {
                continue;
            }
            let mut parts = item.splitn(3, ':');
            let (name, role, key) = (parts.next(), parts.next(), parts.next());
            let fail = |reason: String| KeysError::Entry {
                origin: origin.to_owned(),
                entry: format!("entry {} ({:?})", i + 1, name.unwrap_or_default()),
                reason,
            };
            let (Some(name), Some(role), Some(key)) = (name, role, key) else {
                return Err(fail("expected name:role:key".into()));
            };
            let sha256 = digest_of(key).map_err(fail)?;
            self.add(name, role, sha256).map_err(fail)?;
        }
        Ok(())
    }

    fn add(&mut self, name: &str, role: &str, sha256: [u8; 32]) -> Result<(), String> {
        check_name(name)?;
        let role = Role::parse(role)
            .ok_or_else(|| format!("role {role:?} is neither \"read\" nor \"admin\""))?;
        if self.keys.iter().any(|k| k.name == name) {
            return Err(format!("a key named {name:?} was given already"));
        }
        if let Some(same) = self.keys.iter().find(|k| k.sha256 == sha256) {
            return Err(format!("the same key as {:?}", same.name));
        }
        self.keys.push(ApiKey {
            name: name.to_owned(),
            role,
            sha256,
        });
        Ok(())
    }

    /// The key `presented` is, if any. Every stored digest is compared, in constant time.
    pub fn find(&self, presented: &[u8]) -> Option<&ApiKey> {
        let digest: [u8; 32] = Sha256::digest(presented).into();
        let mut found = u32::MAX;
        for (i, key) in self.keys.iter().enumerate() {
            found.conditional_assign(&(i as u32), key.sha256.ct_eq(&digest));
        }
        self.keys.get(found as usize)
    }
}

/// Where a TOML error is, as `(line L)`, without quoting the line.
fn span(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.map(|s| {
        let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
        format!(" (line {line})")
    })
    .unwrap_or_default()
}

fn check_name(name: &str) -> Result<(), String> {
    let usable = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.len() > MAX_NAME_BYTES || !name.chars().all(usable) {
        return Err(format!(
            "name {name:?}: use 1 to {MAX_NAME_BYTES} letters, digits, '-', '_' or '.'"
        ));
    }
    Ok(())
}

fn digest_of(key: &str) -> Result<[u8; 32], String> {
    if key.len() < MIN_KEY_BYTES {
        return Err(format!(
            "the key is shorter than {MIN_KEY_BYTES} bytes (`counterclaim keys new` makes one)"
        ));
    }
    Ok(Sha256::digest(key.as_bytes()).into())
}

fn parse_sha256(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0; 32];
    for (byte, pair) in out.iter_mut().zip(hex.chunks(2)) {
        let digit = |c: u8| (c as char).to_digit(16);
        *byte = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
    }
    Some(out)
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new key: 32 bytes from the operating system's random source, in hex.
pub fn new_key() -> Result<String, getrandom::Error> {
    let mut bytes = [0; 32];
    getrandom::fill(&mut bytes)?;
    Ok(to_hex(&bytes))
}

/// The `[[key]]` entry of a key file for `key`: its name, role and SHA-256, not the key.
pub fn key_entry(name: &str, role: Role, key: &str) -> Result<String, String> {
    check_name(name)?;
    Ok(format!(
        "[[key]]\nname = \"{name}\"\nrole = \"{role}\"\nsha256 = \"{}\"\n",
        to_hex(&Sha256::digest(key.as_bytes()))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const READ_KEY: &str = "read-key-0123456789";
    const ADMIN_KEY: &str = "admin-key-0123456789";

    fn sha256_hex(key: &str) -> String {
        to_hex(&Sha256::digest(key.as_bytes()))
    }

    fn keys() -> ApiKeys {
        let mut keys = ApiKeys::default();
        let file = format!(
            "[[key]]\nname = \"moderation-tool\"\nrole = \"read\"\nsha256 = \"{}\"\n\n\
             [[key]]\nname = \"curator\"\nrole = \"admin\"\nkey = \"{ADMIN_KEY}\"\n",
            sha256_hex(READ_KEY).to_uppercase()
        );
        keys.add_toml(&file, "keys.toml").unwrap();
        keys
    }

    fn error(toml: &str) -> String {
        ApiKeys::default()
            .add_toml(toml, "keys.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_key_file_gives_named_keys_with_roles_found_by_their_key() {
        let keys = keys();
        assert_eq!(keys.len(), 2);
        let read = keys.find(READ_KEY.as_bytes()).unwrap();
        assert_eq!((read.name(), read.role()), ("moderation-tool", Role::Read));
        let admin = keys.find(ADMIN_KEY.as_bytes()).unwrap();
        assert_eq!((admin.name(), admin.role()), ("curator", Role::Admin));
        assert!(keys.find(b"read-key-012345678").is_none());
        assert!(keys.find(b"").is_none());
        assert!(ApiKeys::default().find(READ_KEY.as_bytes()).is_none());
        // The digests are kept, not the keys.
        assert!(!format!("{keys:?}").contains(READ_KEY));
    }

    #[test]
    fn the_lookup_finds_any_of_many_keys() {
        let mut keys = ApiKeys::default();
        let list: Vec<String> = (0..50)
            .map(|i| format!("k{i}:read:key-number-{i:04}-abcdef"))
            .collect();
        keys.add_list(&list.join(","), "COUNTERCLAIM_API_KEYS")
            .unwrap();
        for i in [0, 17, 49] {
            let key = format!("key-number-{i:04}-abcdef");
            assert_eq!(keys.find(key.as_bytes()).unwrap().name(), format!("k{i}"));
        }
        assert!(keys.find(b"key-number-0050-abcdef").is_none());
    }

    #[test]
    fn bad_entries_are_refused_with_the_file_and_entry_named_and_no_key() {
        let short = error("[[key]]\nname = \"a\"\nrole = \"read\"\nkey = \"short-secret\"\n");
        assert!(
            short.starts_with("keys.toml: [[key]] 1 (\"a\"): "),
            "{short}"
        );
        assert!(short.contains("shorter than 16 bytes"), "{short}");
        assert!(!short.contains("short-secret"), "{short}");

        let entry = |name: &str, role: &str| {
            format!(
                "[[key]]\nname = \"{name}\"\nrole = \"{role}\"\nkey = \"{name}-0123456789abcdef\"\n"
            )
        };
        let role = error(&entry("a", "writer"));
        assert!(
            role.contains("[[key]] 1 (\"a\")") && role.contains("\"writer\""),
            "{role}"
        );
        let twice = error(&(entry("a", "read") + &entry("a", "admin")));
        assert!(
            twice.contains("[[key]] 2 (\"a\")") && twice.contains("given already"),
            "{twice}"
        );
        let name = error(&entry("a b", "read"));
        assert!(name.contains("name \"a b\""), "{name}");

        let same = format!(
            "[[key]]\nname = \"a\"\nrole = \"read\"\nkey = \"{READ_KEY}\"\n\
             [[key]]\nname = \"b\"\nrole = \"admin\"\nsha256 = \"{}\"\n",
            sha256_hex(READ_KEY)
        );
        let same = error(&same);
        assert!(
            same.contains("[[key]] 2 (\"b\"): the same key as \"a\""),
            "{same}"
        );
        let digest = error("[[key]]\nname = \"a\"\nrole = \"read\"\nsha256 = \"abc\"\n");
        assert!(digest.contains("64 hexadecimal digits"), "{digest}");
        let both = error(&format!(
            "{}sha256 = \"{}\"\n",
            entry("a", "read"),
            sha256_hex("x")
        ));
        assert!(both.contains("one of sha256"), "{both}");
    }

    #[test]
    fn a_file_that_is_not_a_key_file_says_where_without_quoting_it() {
        let secret = "secret-0123456789abcdef";
        let typo = error(&format!(
            "[[key]]\nname = \"a\"\nrole = \"read\"\nkye = \"{secret}\"\n"
        ));
        assert!(
            typo.starts_with("keys.toml: ") && typo.contains("line 4"),
            "{typo}"
        );
        assert!(!typo.contains(secret), "{typo}");
        let broken = error(&format!("[[key]]\nname = \"a\nkey = \"{secret}\"\n"));
        assert!(!broken.contains(secret), "{broken}");
    }

    #[test]
    fn the_environment_list_is_name_role_key() {
        let mut keys = ApiKeys::default();
        keys.add_list(
            " ci:read:ci-key-0123456789ab , ops:admin:ops:key:with:colons ,",
            "COUNTERCLAIM_API_KEYS",
        )
        .unwrap();
        assert_eq!(keys.find(b"ci-key-0123456789ab").unwrap().name(), "ci");
        assert_eq!(
            keys.find(b"ops:key:with:colons").unwrap().role(),
            Role::Admin
        );

        let error = |list: &str| {
            ApiKeys::default()
                .add_list(list, "COUNTERCLAIM_API_KEYS")
                .unwrap_err()
                .to_string()
        };
        let missing = error("ci:read:ci-key-0123456789ab,ops-admin");
        assert!(
            missing.starts_with(
                "COUNTERCLAIM_API_KEYS: entry 2 (\"ops-admin\"): expected name:role:key"
            ),
            "{missing}"
        );
        let short = error("ci:read:tiny");
        assert!(
            short.contains("entry 1 (\"ci\")") && !short.contains("tiny"),
            "{short}"
        );
    }

    #[test]
    fn new_keys_are_random_and_their_entry_holds_the_digest_only() {
        let (a, b) = (new_key().unwrap(), new_key().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        let entry = key_entry("ci", Role::Admin, &a).unwrap();
        assert!(!entry.contains(&a));
        let mut keys = ApiKeys::default();
        keys.add_toml(&entry, "new").unwrap();
        assert_eq!(keys.find(a.as_bytes()).unwrap().role(), Role::Admin);
        assert!(key_entry("c\"i", Role::Read, &a).is_err());
    }
}
