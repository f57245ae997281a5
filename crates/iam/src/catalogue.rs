//! The AWS action catalogue: services, actions, access levels, resource types and condition keys.
