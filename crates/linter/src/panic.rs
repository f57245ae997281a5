//! The text of a caught panic: front ends contain a panic in one file's lint and report it as an error.

use std::any::Any;

/// The panic's message, whether it was raised with a literal or a formatted string.
pub fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic with a non-string payload")
}
