//! The configuration: file < environment < command line, every bad value stopping the start
//! with the flag, variable, or key and file named, `--help` and the docs listing every setting,
//! and the shipped example file loading as it is.

use crate::support::{Process, root};
use journey_server::config::settings::SETTINGS;
use journey_server::config::{Config, ConfigError, LogFormat};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn load(args: &[&str], env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    Config::load(args.iter().map(|arg| arg.to_string()), &|name| {
        env.get(name).cloned()
    })
}

fn loaded(args: &[&str], env: &[(&str, &str)]) -> Config {
    load(args, env).unwrap_or_else(|e| panic!("{e}"))
}

/// Why the configuration is refused.
fn refused(args: &[&str], env: &[(&str, &str)]) -> String {
    match load(args, env) {
        Ok(config) => panic!("accepted: {config:?}"),
        Err(e) => e.to_string(),
    }
}

fn addr(raw: &str) -> SocketAddr {
    raw.parse().unwrap()
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let file = dir.join("journeykit.toml");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "[server]\nlisten = \"127.0.0.1:7001\"\nheader_timeout_secs = 11\ndev = true\n\
         [log]\nformat = \"json\"\n[content]\ntenants = \"my-tenants\"\n",
    );
    let file = file.to_str().unwrap();

    let from_file = loaded(&["--config", file], &[]);
    assert_eq!(from_file.listen, addr("127.0.0.1:7001"));
    assert_eq!(from_file.timeouts.header, Duration::from_secs(11));
    assert_eq!(from_file.log.format, LogFormat::Json);
    assert!(from_file.dev);
    assert_eq!(
        from_file.tenants,
        dir.path().join("my-tenants"),
        "a relative path in the file is from the file's folder"
    );
    assert_eq!(from_file.file.as_deref(), Some(Path::new(file)));
    // Settings the file leaves out keep their defaults.
    assert_eq!(from_file.timeouts.body, Duration::from_secs(10));
    assert_eq!(from_file.public_url, "http://127.0.0.1:7001");

    let env = [
        ("JOURNEYKIT_SERVER_LISTEN", "127.0.0.1:7002"),
        ("JOURNEYKIT_LOG_FORMAT", "text"),
        ("JOURNEYKIT_SERVER_DEV", "false"),
        ("JOURNEYKIT_CONTENT_TENANTS", "env-tenants"),
    ];
    let from_env = loaded(&["--config", file], &env);
    assert_eq!(from_env.listen, addr("127.0.0.1:7002"));
    assert_eq!(from_env.log.format, LogFormat::Text);
    assert!(!from_env.dev);
    assert_eq!(
        from_env.tenants,
        PathBuf::from("env-tenants"),
        "the environment's paths are the working folder's"
    );
    assert_eq!(
        from_env.timeouts.header,
        Duration::from_secs(11),
        "from the file"
    );

    let from_flags = loaded(
        &[
            "--config",
            file,
            "--listen",
            "127.0.0.1:7003",
            "--dev",
            "--log-format",
            "json",
        ],
        &env,
    );
    assert_eq!(from_flags.listen, addr("127.0.0.1:7003"));
    assert!(from_flags.dev);
    assert_eq!(from_flags.log.format, LogFormat::Json);

    // JOURNEYKIT_CONFIG names the file as well; --config wins over it.
    let named = loaded(&[], &[("JOURNEYKIT_CONFIG", file)]);
    assert_eq!(named.listen, addr("127.0.0.1:7001"));
    let other_dir = dir.path().join("other");
    std::fs::create_dir(&other_dir).unwrap();
    let other = write(&other_dir, "[server]\nlisten = \"127.0.0.1:7009\"\n");
    let both = loaded(
        &["--config", other.to_str().unwrap()],
        &[("JOURNEYKIT_CONFIG", file)],
    );
    assert_eq!(both.listen, addr("127.0.0.1:7009"));
}

#[test]
fn without_any_source_every_setting_has_its_default_and_derived_ones_follow() {
    // The tests run in the crate's folder, which has no journeykit.toml.
    assert!(!Path::new("journeykit.toml").exists());
    let config = loaded(&[], &[]);
    assert_eq!(config.listen, addr("127.0.0.1:8080"));
    assert_eq!(config.public_url, "http://127.0.0.1:8080");
    assert_eq!(config.db.sqlite_path(), Some(Path::new("journeykit.db")));
    assert_eq!(config.key_file, PathBuf::from("journeykit.db.key"));
    assert_eq!(config.shutdown_grace, Duration::from_secs(20));
    assert_eq!(config.key_rotation, Duration::from_secs(30 * 24 * 3600));
    assert_eq!(config.log.filter, "info,tower_http=warn");
    assert!(config.metrics.is_none() && !config.dev && !config.create_db);
    assert!(config.file.is_none());

    let config = loaded(&["--listen", "127.0.0.1:7004", "--db", "/x/y.db"], &[]);
    assert_eq!(config.public_url, "http://127.0.0.1:7004");
    assert_eq!(config.key_file, PathBuf::from("/x/y.db.key"));

    // RUST_LOG still works, and JOURNEYKIT_LOG_FILTER wins over it.
    let config = loaded(&[], &[("RUST_LOG", "debug")]);
    assert_eq!(config.log.filter, "debug");
    let config = loaded(
        &[],
        &[("RUST_LOG", "debug"), ("JOURNEYKIT_LOG_FILTER", "warn")],
    );
    assert_eq!(config.log.filter, "warn");

    let metrics = loaded(&["--metrics"], &[]).metrics.unwrap();
    assert_eq!((metrics.path.as_str(), metrics.listen), ("/metrics", None));
    let metrics = loaded(
        &["--metrics-listen", "127.0.0.1:9100"],
        &[
            ("JOURNEYKIT_METRICS_ENABLED", "1"),
            ("JOURNEYKIT_METRICS_PATH", "/ops/m"),
        ],
    )
    .metrics
    .unwrap();
    assert_eq!(
        (metrics.path.as_str(), metrics.listen),
        ("/ops/m", Some(addr("127.0.0.1:9100")))
    );
}

#[test]
fn a_bad_file_names_the_key_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = |text: &str| {
        let file = write(dir.path(), text);
        let error = refused(&["--config", file.to_str().unwrap()], &[]);
        (error, file.display().to_string())
    };

    let (error, file) = config("[server]\nlisen = \"127.0.0.1:1\"\n");
    assert!(
        error.contains(&format!("{file}: unknown setting `server.lisen`"))
            && error.contains("listen, public_url"),
        "{error}"
    );
    let (error, file) = config("[sever]\nlisten = \"127.0.0.1:1\"\n");
    assert!(
        error.contains(&format!("{file}: unknown section [sever]")),
        "{error}"
    );
    let (error, file) = config("listen = \"127.0.0.1:1\"\n");
    assert!(
        error.contains(&format!(
            "{file}: `listen` belongs in its section: [server] listen"
        )),
        "{error}"
    );
    let (error, file) = config("[server]\nlisten = 8080\n");
    assert!(
        error.contains(&format!("server.listen in {file}: expected a string")),
        "{error}"
    );
    let (error, file) = config("[server]\ndev = \"yes\"\n");
    assert!(
        error.contains(&format!("server.dev in {file}: expected true or false")),
        "{error}"
    );
    let (error, file) = config("[server]\nlisten = \"nowhere\"\n");
    assert!(
        error.contains(&format!(
            "server.listen in {file}: `nowhere` is not an address"
        )),
        "{error}"
    );
    let (error, file) = config("[database]\nurl = \"postgres://db/journeykit\"\n");
    assert!(
        error.contains(&format!(
            "database.url in {file}: `postgres://db/journeykit` is not a usable PostgreSQL URL"
        )),
        "{error}"
    );
    let (error, file) = config("[server\n");
    assert!(
        error.contains(&format!("{file}: not valid TOML")),
        "{error}"
    );

    // Every problem at once, not one per start.
    let (error, file) = config(
        "[server]\nheader_timeout_secs = 0\npublic_url = \"ftp://x\"\n[log]\nformat = \"xml\"\n",
    );
    for expected in [
        format!("server.header_timeout_secs in {file}: `0` is not a whole number"),
        format!("server.public_url in {file}: `ftp://x` is not a base URL"),
        format!("log.format in {file}: `xml` is not a log format"),
    ] {
        assert!(error.contains(&expected), "{expected} in {error}");
    }
}

#[test]
fn a_missing_file_named_explicitly_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let missing = missing.to_str().unwrap();
    let error = refused(&["--config", missing], &[]);
    assert!(
        error.contains(&format!("--config {missing}: cannot read it")),
        "{error}"
    );
    let error = refused(&[], &[("JOURNEYKIT_CONFIG", missing)]);
    assert!(
        error.contains(&format!("JOURNEYKIT_CONFIG {missing}: cannot read it")),
        "{error}"
    );
}

#[test]
fn bad_variables_and_flags_are_named() {
    let error = refused(&[], &[("JOURNEYKIT_SERVER_BODY_TIMEOUT_SECS", "soon")]);
    assert!(
        error.contains("JOURNEYKIT_SERVER_BODY_TIMEOUT_SECS: `soon` is not a whole number"),
        "{error}"
    );
    let error = refused(&[], &[("JOURNEYKIT_SERVER_DEV", "maybe")]);
    assert!(
        error.contains("JOURNEYKIT_SERVER_DEV: `maybe` is not true or false"),
        "{error}"
    );
    let error = refused(&["--log-format", "yaml"], &[]);
    assert!(
        error.contains("--log-format: `yaml` is not a log format"),
        "{error}"
    );
    let error = refused(&["--log-filter", "info,=[x"], &[]);
    assert!(
        error.contains("--log-filter: `info,=[x` is not a log filter"),
        "{error}"
    );
    let error = refused(&["--db", "postgresql://db/x"], &[]);
    assert!(
        error.contains("--db: `postgresql://db/x` is not a usable PostgreSQL URL"),
        "{error}"
    );
    let error = refused(&["--metrics", "--metrics-path", "/v1/metrics"], &[]);
    assert!(
        error.contains("--metrics-path: `/v1/metrics` is one of the server's own paths"),
        "{error}"
    );
    let error = refused(&["--metrics-listen", "127.0.0.1:9100"], &[]);
    assert!(
        error.contains("--metrics-listen: is set but the metrics are not enabled"),
        "{error}"
    );
    let error = refused(
        &[
            "--metrics",
            "--listen",
            "127.0.0.1:9100",
            "--metrics-listen",
            "127.0.0.1:9100",
        ],
        &[],
    );
    assert!(
        error.contains("--metrics-listen: is the main listener's address"),
        "{error}"
    );
    let error = refused(&["--key-rotation-secs", "3600"], &[]);
    assert!(
        error.contains("--key-rotation-secs: `3600` is too short"),
        "{error}"
    );
    assert_eq!(
        loaded(&[], &[("JOURNEYKIT_TOKENS_KEY_ROTATION_SECS", "86400")]).key_rotation,
        Duration::from_secs(86400)
    );
    match load(&["--bogus"], &[]) {
        Err(ConfigError::Command(text)) => assert!(text.contains("--bogus"), "{text}"),
        other => panic!("{other:?}"),
    }
    match load(&["--listen"], &[]) {
        Err(ConfigError::Command(text)) => assert!(text.contains("--listen"), "{text}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn help_lists_every_setting_with_its_flag_variable_key_and_default() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_journey-server"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for setting in SETTINGS {
        for expected in [
            format!("--{}", setting.flag),
            format!("[env: {}]", setting.env()),
            format!("[file: {}]", setting.key),
            format!("[default: {}]", setting.default),
        ] {
            assert!(
                help.contains(&expected),
                "{expected} missing from --help:\n{help}"
            );
        }
    }
    for expected in [
        "--config",
        "JOURNEYKIT_CONFIG",
        "journey-server events",
        "/readyz",
    ] {
        assert!(
            help.contains(expected),
            "{expected} missing from --help:\n{help}"
        );
    }
}

#[tokio::test]
async fn the_binary_refuses_a_bad_setting_with_exit_code_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "[server]\nshutdown_grace_secs = -1\n");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_journey-server"))
        .arg("--config")
        .arg(&file)
        .env("JOURNEYKIT_LOG_FORMAT", "yaml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "server.shutdown_grace_secs in {}: `-1` is not a whole number",
            file.display()
        )) && stderr.contains("JOURNEYKIT_LOG_FORMAT: `yaml`"),
        "{stderr}"
    );
}

#[tokio::test]
async fn journeykit_toml_in_the_working_folder_is_read_under_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    // The file turns the metrics on and asks for a port the flags then override.
    write(
        dir.path(),
        "[server]\nlisten = \"127.0.0.1:1\"\n[metrics]\nenabled = true\npath = \"/m\"\n",
    );
    let mut server = Process::launch(dir.path(), &[]);
    server.wait_ready().await;
    let status = reqwest::get(format!("{}/m", server.url()))
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200, "{}", server.log());
    assert!(
        server.log().contains("configuration read"),
        "{}",
        server.log()
    );
}

/// The settings a documentation line names, as `key`, `JOURNEYKIT_…` and `--flag`.
fn named_in(text: &str, setting: &journey_server::config::settings::Setting) -> bool {
    text.lines().any(|line| {
        line.contains(&format!("`{}`", setting.key))
            && line.contains(&format!("`{}`", setting.env()))
            && line.contains(&format!("`--{}", setting.flag))
    })
}

#[test]
fn the_readme_has_a_line_for_every_setting() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for setting in SETTINGS {
        assert!(
            named_in(&readme, setting),
            "README.md has no table row naming `{}`, `{}` and `--{}`",
            setting.key,
            setting.env(),
            setting.flag
        );
    }
}

#[test]
fn the_example_file_names_every_setting_in_its_section_and_loads() {
    let example = root().join("journeykit.example.toml");
    let text = std::fs::read_to_string(&example).unwrap();
    let mut section = String::new();
    let mut keys = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches('#').trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_owned();
        } else if let Some((name, _)) = line.split_once(" = ") {
            keys.push(format!("{section}.{name}"));
        }
    }
    for setting in SETTINGS {
        assert!(
            keys.contains(&setting.key.to_owned()),
            "journeykit.example.toml does not show {}",
            setting.key
        );
    }
    let config = loaded(&["--config", example.to_str().unwrap()], &[]);
    assert_eq!(config.listen, Config::default().listen);
    assert!(config.metrics.is_none());
}

#[test]
fn trusted_proxies_come_as_a_toml_array_or_comma_separated_and_a_bad_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "[server]\ntrusted_proxies = [\"127.0.0.1\", \"10.1.2.3/8\", \"::1\"]\n",
    );
    let file = file.to_str().unwrap();
    let nets = |config: &Config| -> Vec<String> {
        config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert!(
        loaded(&[], &[]).trusted_proxies.is_empty(),
        "none by default"
    );
    assert_eq!(
        nets(&loaded(&["--config", file], &[])),
        ["127.0.0.1/32", "10.0.0.0/8", "::1/128"],
        "an address alone is a block of one; a block is cut to its network"
    );
    let env = [(
        "JOURNEYKIT_SERVER_TRUSTED_PROXIES",
        "192.0.2.7, 198.51.100.0/24",
    )];
    assert_eq!(
        nets(&loaded(&["--config", file], &env)),
        ["192.0.2.7/32", "198.51.100.0/24"]
    );
    assert_eq!(
        nets(&loaded(&["--trusted-proxies", "127.0.0.1"], &env)),
        ["127.0.0.1/32"]
    );

    let message = refused(&["--trusted-proxies", "127.0.0.1,proxy.example"], &[]);
    assert!(
        message.contains(
            "--trusted-proxies: `proxy.example` is not an IP address or a CIDR block like 10.0.0.0/8"
        ),
        "{message}"
    );
    let bad = write(dir.path(), "[server]\ntrusted_proxies = [1, 2]\n");
    let message = refused(&["--config", bad.to_str().unwrap()], &[]);
    assert!(
        message.contains("server.trusted_proxies in ")
            && message.contains("expected an array of strings in quotes"),
        "{message}"
    );
}

#[test]
fn the_smtp_ca_file_is_a_path_beside_the_config_file_and_needs_tls() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "[email]\nsmtp_host = \"smtp.example.com\"\nsmtp_ca_file = \"private-ca.pem\"\n",
    );
    let config = loaded(&["--config", file.to_str().unwrap()], &[]);
    let email = config.delivery.email.unwrap();
    assert_eq!(email.ca_file, Some(dir.path().join("private-ca.pem")));
    assert_eq!(
        email.security,
        journey_server::config::SmtpSecurity::StartTls
    );

    let flags = [
        "--smtp-host",
        "smtp.example.com",
        "--smtp-ca-file",
        "/etc/ca.pem",
    ];
    let email = loaded(&flags, &[]).delivery.email.unwrap();
    assert_eq!(email.ca_file, Some(PathBuf::from("/etc/ca.pem")));
    assert_eq!(loaded(&[], &[]).delivery.email, None);

    let error = refused(&["--smtp-ca-file", "/etc/ca.pem"], &[]);
    assert!(
        error.contains("--smtp-ca-file: is set but email.smtp_host (--smtp-host) is not"),
        "{error}"
    );
    let error = refused(
        &[],
        &[
            ("JOURNEYKIT_EMAIL_SMTP_HOST", "127.0.0.1"),
            ("JOURNEYKIT_EMAIL_SMTP_SECURITY", "none"),
            ("JOURNEYKIT_EMAIL_SMTP_CA_FILE", "/etc/ca.pem"),
        ],
    );
    assert!(
        error.contains(
            "JOURNEYKIT_EMAIL_SMTP_CA_FILE: is set but email.smtp_security is none (no TLS"
        ),
        "{error}"
    );
}
