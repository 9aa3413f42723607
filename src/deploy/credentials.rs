//! Where a deploy's credentials come from: the standard places an AWS
//! tool looks, never site.toml. First the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`),
//! then the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else
//! `~/.aws/credentials`) under the profile `AWS_PROFILE` (else
//! `default`). A missing credential is an error that says where it was
//! looked for.

use std::path::PathBuf;

/// An access key, its secret and an optional session token.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// The access key id.
    pub(crate) key_id: String,
    /// The secret access key.
    pub(crate) secret: String,
    /// A session token for temporary credentials.
    pub(crate) token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, secret hidden)", self.key_id)
    }
}

/// A reader of environment variables (the process's, or a test's table).
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The credentials from `env` and the shared file, or a sentence that
/// says where they were looked for.
pub(crate) fn find(env: Env<'_>) -> Result<Credentials, String> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    if let (Some(key_id), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
        return Ok(Credentials {
            key_id,
            secret,
            token: var("AWS_SESSION_TOKEN"),
        });
    }
    let profile = var("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let file = shared_file(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let looked = format!(
        "no credentials: looked in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and in {} (profile `{profile}`)",
        file.as_ref().map_or_else(|| "~/.aws/credentials (no home folder)".into(), |f| f.display().to_string())
    );
    let Some(file) = file else { return Err(looked) };
    let ini = match ini::Ini::load_from_file(&file) {
        Ok(ini) => ini,
        Err(ini::Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Err(looked),
        Err(e) => return Err(format!("{}: {e}", file.display())),
    };
    let section = ini.section(Some(profile.as_str()));
    let get = |k: &str| section.and_then(|s| s.get(k)).map(str::to_string);
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(key_id), Some(secret)) => Ok(Credentials {
            key_id,
            secret,
            token: get("aws_session_token"),
        }),
        _ => Err(looked),
    }
}

/// The region when the target does not say: `AWS_REGION`,
/// `AWS_DEFAULT_REGION`, the profile's `region` in `~/.aws/config`, else
/// `us-east-1`.
pub(crate) fn region(env: Env<'_>) -> String {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(region) = var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")) {
        return region;
    }
    let profile = var("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let section = if profile == "default" {
        profile
    } else {
        format!("profile {profile}")
    };
    shared_file(env, "AWS_CONFIG_FILE", "config")
        .and_then(|f| ini::Ini::load_from_file(f).ok())
        .and_then(|ini| {
            ini.get_from(Some(section.as_str()), "region")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "us-east-1".into())
}

fn shared_file(env: Env<'_>, var: &str, name: &str) -> Option<PathBuf> {
    env(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws").join(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(pairs: &'a [(&'a str, String)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_environment_comes_first_then_the_shared_file_s_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(
            &file,
            "[default]\naws_access_key_id = AK1\naws_secret_access_key = S1\n\n[news]\naws_access_key_id=AK2\naws_secret_access_key=S2\naws_session_token=T2\n",
        )
        .unwrap();
        let path = file.display().to_string();
        let vars = [
            ("AWS_SHARED_CREDENTIALS_FILE", path.clone()),
            ("AWS_ACCESS_KEY_ID", "ENV".into()),
            ("AWS_SECRET_ACCESS_KEY", "ENVS".into()),
        ];
        assert_eq!(find(&env_of(&vars)).unwrap().key_id, "ENV");
        let vars = [("AWS_SHARED_CREDENTIALS_FILE", path.clone())];
        assert_eq!(find(&env_of(&vars)).unwrap().secret, "S1");
        let vars = [
            ("AWS_SHARED_CREDENTIALS_FILE", path.clone()),
            ("AWS_PROFILE", "news".into()),
        ];
        let found = find(&env_of(&vars)).unwrap();
        assert_eq!(
            (found.key_id.as_str(), found.token.as_deref()),
            ("AK2", Some("T2"))
        );
    }

    #[test]
    fn missing_credentials_say_where_they_were_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let vars = [
            ("HOME", dir.path().display().to_string()),
            ("AWS_PROFILE", "absent".into()),
        ];
        let err = find(&env_of(&vars)).unwrap_err();
        assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
        assert!(err.contains(".aws/credentials"), "{err}");
        assert!(err.contains("profile `absent`"), "{err}");
        assert!(!format!(
            "{:?}",
            Credentials {
                key_id: "A".into(),
                secret: "hidden-s".into(),
                token: None
            }
        )
        .contains("hidden-s"));
    }
}
