//! A seeded random number generator: the same inputs from the same seed on every machine,
//! so a failure reproduces from the seed the report prints.

/// SplitMix64: tiny, fast, and well spread even from seeds that differ in one bit.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// In `0..=max`, small values far more often than large ones (log-uniform): lengths,
    /// counts and depths where both 0 and the extreme matter.
    pub fn skewed(&mut self, max: usize) -> usize {
        let bits = usize::BITS - max.leading_zeros();
        let cap = 1usize
            .checked_shl(self.below(bits as usize + 1) as u32)
            .unwrap_or(usize::MAX);
        self.below(cap).min(max)
    }

    pub fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }
}

/// The seed of input `index` of target `target` in a run: each input has its own, so any
/// one of them can be regenerated alone (`cargo xtask fuzz --target T --replay SEED`).
pub fn input_seed(run_seed: u64, target: &str, index: u64) -> u64 {
    // FNV-1a of the name: targets draw different inputs from the same run seed.
    let name = target.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    let mut r = Rng::new(run_seed ^ name ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next_u64()
}
