//! One stable sort for every list the core orders.
//!
//! `slice::sort_by` is compiled again for each element type and comparator: five copies of
//! about 4 KB each in the WebAssembly module. This sorts positions instead, through a single
//! copy, then moves the elements into that order. Same result as `sort_by` (both are stable),
//! same O(n log n).

use std::cmp::Ordering;

/// `v.sort_by(cmp)`, in one shared instantiation of the standard library's sort.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items = v.as_slice();
        sorted_positions(items.len(), &|a, b| cmp(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// `0..len`, stably sorted by `cmp` of the elements at those positions.
fn sorted_positions(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_the_standard_stable_sort() {
        // Pairs sorted by their first half only: equal keys must keep their order.
        let mut seed = 7u32;
        for len in [0, 1, 2, 3, 10, 33, 200] {
            let v: Vec<(u8, u32)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 24) as u8 % 5, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v;
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std);
        }
    }
}
