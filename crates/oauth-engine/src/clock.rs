//! Injected time. The engine never reads the system clock: every party is
//! handed the current simulated time (`handle(request, now, ...)`), so that
//! a scenario can fast-forward ("advance 61 s: the code has expired") and
//! replay to identical bytes.

use std::fmt;

/// Seconds since the Unix epoch: the `NumericDate` of RFC 7519 section 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime(pub u64);

impl UnixTime {
    pub fn plus(self, seconds: u64) -> Self {
        Self(self.0.saturating_add(seconds))
    }

    /// Seconds from `earlier` to `self`, or 0 if `earlier` is later.
    pub fn seconds_since(self, earlier: Self) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Simulated time: starts where it is told and moves only when advanced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulatedClock {
    now: UnixTime,
}

impl SimulatedClock {
    pub fn starting_at(now: UnixTime) -> Self {
        Self { now }
    }

    pub fn advance(&mut self, seconds: u64) {
        self.now = self.now.plus(seconds);
    }

    /// Jumps to `time`, never backwards: simulated time only moves forward.
    pub fn set(&mut self, time: UnixTime) {
        self.now = self.now.max(time);
    }

    pub fn now(&self) -> UnixTime {
        self.now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn simulated_time_moves_only_when_advanced() {
        let mut clock = SimulatedClock::starting_at(UnixTime(1_000));
        assert_eq!(clock.now(), UnixTime(1_000));
        clock.advance(61);
        assert_eq!(clock.now(), UnixTime(1_061));
        assert_eq!(clock.now().seconds_since(UnixTime(1_000)), 61);
        assert_eq!(UnixTime(5).seconds_since(UnixTime(9)), 0);
        clock.set(UnixTime(1_000));
        assert_eq!(clock.now(), UnixTime(1_061), "time never goes back");
        clock.set(UnixTime(2_000));
        assert_eq!(clock.now(), UnixTime(2_000));
    }
}
