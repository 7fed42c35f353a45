//! The subcommands behind the CLI.

pub mod init;
