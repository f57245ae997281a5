//! Knowledge several rules share. Each module is about one subject; rules stay small by asking these
//! helpers rather than re-deriving facts.

pub mod access;
pub mod add_sources;
pub mod arns;
pub mod capabilities;
pub mod credential_files;
pub mod downloads;
pub mod env_secrets;
pub mod env_settings;
pub mod file_modes;
pub mod file_writes;
pub mod help;
pub mod host_paths;
pub mod iam;
pub mod iam_conditions;
pub mod iam_grants;
pub mod image_patterns;
pub mod k8s_resources;
pub mod limits;
pub mod options;
pub mod packages;
pub mod pods;
pub mod policy_variables;
pub mod ports;
pub mod rbac;
pub mod registries;
pub mod secret_arguments;
pub mod secrets;
pub mod security_context;
pub mod shells;
pub mod stages;
pub mod sysctls;
pub mod system_paths;
pub mod urls;
pub mod word_parts;
pub mod yaml_tokens;
