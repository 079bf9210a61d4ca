//! Where settings come from, lowest first: the configuration file, the environment, the
//! command line (clap). Each source gives raw text per setting with its [`Origin`], so that
//! [`super`] can parse every value the same way and name exactly where a bad one came from.
//!
//! The file is `--config FILE`, else `JOURNEYKIT_CONFIG`, else `journeykit.toml` in the
//! working folder when it exists. A file named explicitly must exist. Every key in it must be
//! a known setting of the right TOML type; relative paths in it are taken from the file's own
//! folder, so a service reads the same files whatever folder it starts in.

use super::settings::{
    CONFIG_ENV, CONFIG_FLAG, DEFAULT_CONFIG_FILE, Kind, RUST_LOG, SETTINGS, Setting, by_key,
};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a value came from, as an error names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--flag`.
    Flag(&'static str),
    /// An environment variable.
    Env(String),
    /// A key of the configuration file.
    File {
        /// `section.name`.
        key: &'static str,
        /// The file.
        file: PathBuf,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(flag) => write!(f, "--{flag}"),
            Self::Env(name) => f.write_str(name),
            Self::File { key, file } => write!(f, "{key} in {}", file.display()),
        }
    }
}

/// A setting's value as a source spelled it, before it is parsed.
#[derive(Clone, Debug)]
pub struct Raw {
    /// The text (a switch is `true` or `false`).
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
}

/// The raw values of the settings that some source gave, by file key.
pub type Raws = HashMap<&'static str, Raw>;

/// What the command line asked for.
pub enum Asked {
    /// Run with these values (from the command line only) and this `--config`.
    Run {
        /// The values given as flags.
        flags: Raws,
        /// `--config FILE`.
        config: Option<PathBuf>,
    },
    /// `--help`: print this.
    Help(String),
}

/// The command line's definition, built from [`SETTINGS`].
pub fn command() -> clap::Command {
    let mut command = clap::Command::new("journey-server")
        .about("Runs Journeykit journeys over HTTP.")
        .long_about(
            "Runs Journeykit journeys over HTTP.\n\n\
             Every setting can come from the configuration file (journeykit.toml), an \
             environment variable or a flag; a flag wins over the variable, the variable over \
             the file, the file over the default.",
        )
        .after_help(
            "Also: journey-server events --db FILE [...] prints security events (see \
             `journey-server events --help`).\n\
             Health: GET /healthz (the process lives), GET /readyz (ready to serve).",
        )
        .disable_version_flag(true)
        .arg(
            clap::Arg::new(CONFIG_FLAG)
                .long(CONFIG_FLAG)
                .value_name("FILE")
                .action(clap::ArgAction::Set)
                .help(format!(
                    "The configuration file. [env: {CONFIG_ENV}] [default: ./{DEFAULT_CONFIG_FILE} \
                     when it exists]"
                )),
        );
    for setting in SETTINGS {
        let help = format!(
            "{} [file: {}] [env: {}] [default: {}]",
            setting.help,
            setting.key,
            setting.env(),
            setting.default
        );
        let arg = clap::Arg::new(setting.key).long(setting.flag).help(help);
        let arg = match setting.kind {
            Kind::Switch => arg.action(clap::ArgAction::SetTrue),
            _ => arg
                .value_name(setting.value_name)
                .action(clap::ArgAction::Set),
        };
        command = command.arg(arg);
    }
    command
}

/// The help text, as `--help` prints it.
pub fn help() -> String {
    command().render_long_help().to_string()
}

/// Reads the command line (the arguments after the program name).
pub fn flags(args: impl IntoIterator<Item = String>) -> Result<Asked, String> {
    let args = std::iter::once("journey-server".to_owned()).chain(args);
    let matches = match command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            return Ok(Asked::Help(e.render().to_string()));
        }
        Err(e) => return Err(e.render().to_string().trim_end().to_owned()),
    };
    let mut flags = Raws::new();
    for setting in SETTINGS {
        let value = match setting.kind {
            Kind::Switch => matches.get_flag(setting.key).then(|| "true".to_owned()),
            _ => matches.get_one::<String>(setting.key).cloned(),
        };
        if let Some(value) = value {
            let origin = Origin::Flag(setting.flag);
            flags.insert(setting.key, Raw { value, origin });
        }
    }
    let config = matches.get_one::<String>(CONFIG_FLAG).map(PathBuf::from);
    Ok(Asked::Run { flags, config })
}

/// The settings the environment gives; `env` looks a variable up. An empty variable counts as
/// unset.
pub fn environment(env: &dyn Fn(&str) -> Option<String>) -> Raws {
    let get = |name: &str| env(name).filter(|value| !value.is_empty());
    let mut raws = Raws::new();
    for setting in SETTINGS {
        let mut name = setting.env();
        let mut value = get(&name);
        if value.is_none() && setting.key == "log.filter" {
            name = RUST_LOG.to_owned();
            value = get(RUST_LOG);
        }
        if let Some(value) = value {
            let origin = Origin::Env(name);
            raws.insert(setting.key, Raw { value, origin });
        }
    }
    raws
}

/// The configuration file to read: `--config`, else `JOURNEYKIT_CONFIG` (both must exist),
/// else `journeykit.toml` in the working folder if there is one. With the origin that named
/// it, for errors.
pub fn config_file(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<(PathBuf, String)> {
    if let Some(path) = flag {
        return Some((path, format!("--{CONFIG_FLAG}")));
    }
    if let Some(path) = env(CONFIG_ENV).filter(|value| !value.is_empty()) {
        return Some((PathBuf::from(path), CONFIG_ENV.to_owned()));
    }
    let default = PathBuf::from(DEFAULT_CONFIG_FILE);
    default
        .is_file()
        .then(|| (default, "the default".to_owned()))
}

/// Reads the settings of the file at `path` (named by `named_by`); every problem is one line.
pub fn file(path: &Path, named_by: &str) -> Result<Raws, Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![format!(
            "{named_by} {}: cannot read it: {e}",
            path.display()
        )]
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| vec![format!("{}: not valid TOML: {e}", path.display())])?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut raws = Raws::new();
    let mut problems = Vec::new();
    for (section, value) in &table {
        let Some(entries) = value.as_table() else {
            problems.push(match SETTINGS.iter().find(|s| s.name() == section) {
                Some(setting) => format!(
                    "{}: `{section}` belongs in its section: [{}] {} = ...",
                    path.display(),
                    setting.section(),
                    setting.name()
                ),
                None => format!("{}: unknown setting `{section}`", path.display()),
            });
            continue;
        };
        if !SETTINGS.iter().any(|s| s.section() == section) {
            problems.push(format!(
                "{}: unknown section [{section}] (known: {})",
                path.display(),
                sections().join(", ")
            ));
            continue;
        }
        for (name, value) in entries {
            let key = format!("{section}.{name}");
            let Some(setting) = by_key(&key) else {
                problems.push(format!(
                    "{}: unknown setting `{key}` (known in [{section}]: {})",
                    path.display(),
                    names_in(section).join(", ")
                ));
                continue;
            };
            let origin = Origin::File {
                key: setting.key,
                file: path.to_owned(),
            };
            match text_of(setting, value, folder) {
                Ok(value) => {
                    raws.insert(setting.key, Raw { value, origin });
                }
                Err(expected) => problems.push(format!("{origin}: expected {expected}")),
            }
        }
    }
    if problems.is_empty() {
        Ok(raws)
    } else {
        Err(problems)
    }
}

/// A TOML value as the raw text of `setting`, or what was expected instead.
fn text_of(setting: &Setting, value: &toml::Value, folder: &Path) -> Result<String, &'static str> {
    match (setting.kind, value) {
        (Kind::Switch, toml::Value::Boolean(on)) => Ok(on.to_string()),
        (Kind::Switch, _) => Err("true or false"),
        (Kind::Seconds, toml::Value::Integer(n)) => Ok(n.to_string()),
        (Kind::Seconds, _) => Err("a whole number of seconds, like 10"),
        (Kind::Count, toml::Value::Integer(n)) => Ok(n.to_string()),
        (Kind::Count, _) => Err("a whole number, like 6"),
        (Kind::Text, toml::Value::String(text)) => Ok(text.clone()),
        (Kind::Text, _) => Err("a string in quotes"),
        (Kind::Path, toml::Value::String(text)) => {
            // A URL (postgres://) is not a path; the parser refuses what it cannot use.
            let (scheme, file) = match text.strip_prefix("sqlite:") {
                Some(file) => ("sqlite:", file),
                None => ("", text.as_str()),
            };
            if text.contains("://") || file.is_empty() || Path::new(file).is_absolute() {
                Ok(text.clone())
            } else {
                Ok(format!("{scheme}{}", folder.join(file).display()))
            }
        }
        (Kind::Path, _) => Err("a path in quotes"),
        (Kind::List, toml::Value::String(text)) => Ok(text.clone()),
        (Kind::List, toml::Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().ok_or("an array of strings in quotes"))
            .collect::<Result<Vec<_>, _>>()
            .map(|items| items.join(",")),
        (Kind::List, _) => Err("an array of strings in quotes"),
    }
}

fn sections() -> Vec<&'static str> {
    let mut sections: Vec<&str> = SETTINGS.iter().map(Setting::section).collect();
    sections.dedup();
    sections
}

fn names_in(section: &str) -> Vec<&'static str> {
    SETTINGS
        .iter()
        .filter(|s| s.section() == section)
        .map(Setting::name)
        .collect()
}
