//! Resource-limit values that set no limit at all.
//!
//! Docker reads some limit values as "unlimited" rather than as a tiny limit: a memory size of zero, a CPU
//! count or CFS quota of zero or `-1`, a PIDs limit of zero or `-1`. A file that writes one of these has a
//! limit key but no limit. Values that depend on a variable without a default are not numbers here, so they
//! are never read as unlimited.
//!
//! A negative memory size is not listed: the daemon rejects any memory limit below 6 MB except zero, so
//! `mem_limit: -1` stops the container from starting instead of silently leaving it unlimited.

/// A memory size as written (`512m`, `1GiB`, `0`): `true` when it is zero.
pub fn memory_unlimited(value: &str) -> bool {
    number(value).is_some_and(|n| n == 0.0)
}

/// A CPU limit as written (`cpus: 0.5`, `cpu_quota: 50000`, Kubernetes `500m`): `true` when it is zero or
/// negative (`cpu_quota: -1` is the kernel's "no quota").
pub fn cpu_unlimited(value: &str) -> bool {
    number(value).is_some_and(|n| n <= 0.0)
}

/// A PIDs limit as written: `true` for `0` and `-1`, which Docker documents as unlimited (any negative
/// number behaves the same).
pub fn pids_unlimited(value: &str) -> bool {
    number(value).is_some_and(|n| n <= 0.0)
}

/// A quantity as written (`0`, `0Mi`, `0.0`, Kubernetes `0m`): `true` when it is zero. Kubernetes reads a
/// zero CPU or memory limit as no limit, and rejects negative ones.
pub fn is_zero(value: &str) -> bool {
    number(value).is_some_and(|n| n == 0.0)
}

/// The number in front of an optional unit suffix (`512m` → 512, `0.5` → 0.5, `-1` → -1).
fn number(value: &str) -> Option<f64> {
    let value = value.trim();
    let digits = value.trim_end_matches(|c: char| c.is_ascii_alphabetic()).trim_end();
    digits.parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_memory_in_any_unit_is_unlimited() {
        for value in ["0", "0m", "0MB", "0.0g", " 0 b"] {
            assert!(memory_unlimited(value), "{value}");
        }
        for value in ["512m", "1g", "-1", "${MEM}", "", "m"] {
            assert!(!memory_unlimited(value), "{value}");
        }
    }

    #[test]
    fn zero_and_negative_cpu_and_pids_are_unlimited() {
        for value in ["0", "0.0", "-1", "0m"] {
            assert!(cpu_unlimited(value), "{value}");
        }
        for value in ["0.5", "2", "50000", "500m", "${CPUS}"] {
            assert!(!cpu_unlimited(value), "{value}");
        }
        for value in ["0", "-1"] {
            assert!(pids_unlimited(value), "{value}");
        }
        for value in ["100", "${PIDS}", "unlimited"] {
            assert!(!pids_unlimited(value), "{value}");
        }
    }
}
