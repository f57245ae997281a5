//! Parallel work whose results are consumed in input order as soon as each is ready, with a bounded number
//! of results waiting: the report streams out in path order while memory holds only a window of files.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

/// How many items may be claimed past the oldest one not yet consumed. Large enough that a slow file does
/// not idle the other threads for long, small enough that the files in flight stay a handful of megabytes.
const WINDOW: usize = 64;

/// Runs `work` on every item on `pool`'s threads and hands the results to `consume` on the calling thread, in
/// the items' order.
pub fn map_in_order<T: Send, R: Send>(
    pool: &rayon::ThreadPool,
    items: Vec<T>,
    work: impl Fn(T) -> R + Sync,
    mut consume: impl FnMut(R),
) {
    let count = items.len();
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|item| Mutex::new(Some(item))).collect();
    let next = AtomicUsize::new(0);
    let consumed = Window::default();
    let (sender, results) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        let (slots, next, consumed, work) = (&slots, &next, &consumed, &work);
        scope.spawn(move || {
            pool.scope(|workers| {
                for _ in 0..pool.current_num_threads() {
                    let sender = sender.clone();
                    workers.spawn(move |_| {
                        // Items are claimed in increasing order, so the oldest unconsumed one is always being
                        // worked on and the window always moves: no thread can wait on a blocked one.
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            if index >= count {
                                break;
                            }
                            consumed.wait_until_within(index);
                            let item = slots[index].lock().unwrap_or_else(PoisonError::into_inner).take();
                            let Some(item) = item else { continue };
                            if sender.send((index, work(item))).is_err() {
                                break;
                            }
                        }
                    });
                }
            });
            drop(sender);
        });
        let mut ready = BTreeMap::new();
        let mut expected = 0;
        for (index, result) in results {
            ready.insert(index, result);
            while let Some(result) = ready.remove(&expected) {
                consume(result);
                expected += 1;
                consumed.advance_to(expected);
            }
        }
    });
}

/// How many results the consumer has taken, which bounds how far ahead workers may claim.
#[derive(Default)]
struct Window {
    consumed: Mutex<usize>,
    moved: Condvar,
}

impl Window {
    fn wait_until_within(&self, index: usize) {
        let mut consumed = self.consumed.lock().unwrap_or_else(PoisonError::into_inner);
        while index >= *consumed + WINDOW {
            consumed = self.moved.wait(consumed).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn advance_to(&self, consumed: usize) {
        *self.consumed.lock().unwrap_or_else(PoisonError::into_inner) = consumed;
        self.moved.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_arrive_in_input_order_whatever_order_they_finish_in() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let items: Vec<u64> = (0..1000).collect();
        let mut seen = Vec::new();
        map_in_order(
            &pool,
            items,
            |n| {
                // Uneven work, so later items often finish first.
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 200));
                n * 2
            },
            |doubled| seen.push(doubled),
        );
        assert_eq!(seen, (0..1000).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_and_one_thread() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let mut seen = Vec::new();
        map_in_order(&pool, Vec::<u8>::new(), |n| n, |n| seen.push(n));
        map_in_order(&pool, vec![3, 1, 2], |n| n, |n| seen.push(n));
        assert_eq!(seen, [3, 1, 2]);
    }
}
